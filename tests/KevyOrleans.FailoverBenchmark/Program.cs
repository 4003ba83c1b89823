using System.Globalization;
using System.Runtime.InteropServices;
using KevyOrleans.FailoverBenchmark;

// The failover benchmark beside Redis Sentinel (tests/README.md, "Failover benchmark beside Sentinel").
var options = BenchmarkOptions.Parse(args, out var error);
if (options is null)
{
    if (error is not null)
    {
        Console.Error.WriteLine(error);
    }
    Console.WriteLine(BenchmarkOptions.Usage);
    return error is null ? 0 : 2;
}

// Ctrl-C and SIGTERM cancel the run, so every group is disposed and every process it started is stopped by pid.
using var cancel = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; cancel.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cancel.Cancel(); });

Console.WriteLine(MachineInfo.Describe());
Console.WriteLine($"load average at start: {MachineInfo.LoadAverage()}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{options.Trials} trials per row; kevy-silo HeartbeatMs {options.HeartbeatMs}, MinimumTimeBetweenFailoversMs 0; sentinel quorum 2, failover-timeout {SentinelGroup.FailoverTimeoutMs} ms, parallel-syncs 1"));

var rows = new List<ResultRow>();
try
{
    foreach (var downAfter in options.DownAfterMs)
    {
        if (options.Runs("kevy"))
        {
            foreach (var fast in new[] { true, false })
            {
                await RunRowAsync(async () => await KevySiloGroup.StartAsync(downAfter, fast, options.HeartbeatMs).ConfigureAwait(false)).ConfigureAwait(false);
            }
        }
        if (options.Runs("sentinel"))
        {
            await RunRowAsync(async () => await SentinelGroup.StartAsync(downAfter).ConfigureAwait(false)).ConfigureAwait(false);
        }
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.WriteLine("interrupted: the table has the trials done so far");
}

Console.WriteLine();
Console.Write(ResultTable.Format(rows));
Console.WriteLine($"load average at end: {MachineInfo.LoadAverage()}");
return cancel.IsCancellationRequested ? 130 : 0;

async Task RunRowAsync(Func<Task<IFailoverGroup>> start)
{
    cancel.Token.ThrowIfCancellationRequested();
    await using var group = await start().ConfigureAwait(false);
    var row = new ResultRow(group.SystemName, group.DownAfterMs, group.Mode);
    rows.Add(row);
    Console.WriteLine($"-- {row.System}, down_after {row.DownAfterMs} ms, {row.Mode}");
    try
    {
        for (var trial = 1; trial <= options.Trials; trial++)
        {
            var result = await Trial.RunAsync(group, trial, cancel.Token).ConfigureAwait(false);
            row.Trials.Add(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   trial {trial}: kill-to-writable {(result.KillToWritableMs is { } ms ? $"{ms:0} ms" : "-")}, {result.Acknowledged} acked writes, {result.Lost} lost ({result.Note})"));
        }
    }
    catch (Exception e) when (e is TimeoutException or InvalidOperationException)
    {
        // The group is in an unknown state: stop this row, keep its trials, go on with the next.
        row.Stopped = e.Message.Split('\n')[0];
        Console.WriteLine($"   stopped: {e.Message}");
    }
}
