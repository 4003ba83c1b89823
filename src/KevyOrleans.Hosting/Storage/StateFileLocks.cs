using System.IO.Hashing;
using System.Text;

namespace KevyOrleans.Hosting.Storage;

/// <summary>
/// Serializes the compare-and-swap window (read version, compare ETag, replace file) per state.
/// Inside the process a semaphore per stripe orders writers; across processes and provider
/// instances an exclusive open of the stripe's lock file does (FileShare.None is an flock on Unix).
/// Lock files stay in place: deleting one while another process waits on it would let two
/// processes lock two different files of the same name. 64 stripes bound their number; writers of
/// different states that share a stripe merely wait for each other.
/// </summary>
internal sealed class StateFileLocks : IDisposable
{
    private const int StripeCount = 64;
    // How "another handle holds the lock" surfaces: the Win32 sharing violation on Windows, the raw
    // errno of the failed flock (EWOULDBLOCK: 11 on Linux, 35 on macOS) on Unix.
    private const int WindowsSharingViolation = unchecked((int)0x80070020);
    private static readonly int UnixWouldBlock = OperatingSystem.IsMacOS() ? 35 : 11;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(5);

    private readonly SemaphoreSlim[] _gates = Enumerable.Range(0, StripeCount).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly string _lockDirectory;
    private readonly TimeSpan _timeout;

    public StateFileLocks(string lockDirectory, TimeSpan timeout)
    {
        _lockDirectory = lockDirectory;
        _timeout = timeout;
    }

    public async Task<IAsyncDisposable> AcquireAsync(string fileName, CancellationToken cancellationToken)
    {
        // A stable hash: the stripe must be the same in every process that shares the directory.
        var stripe = (int)(XxHash32.HashToUInt32(Encoding.ASCII.GetBytes(fileName)) % StripeCount);
        var gate = _gates[stripe];
        if (!await gate.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"Waited {_timeout} for the write lock of '{fileName}' inside this process.");
        }
        try
        {
            var file = await LockFileAsync(Path.Combine(_lockDirectory, $"{stripe:D2}.lock"), cancellationToken).ConfigureAwait(false);
            return new Lease(gate, file);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var gate in _gates)
        {
            gate.Dispose();
        }
    }

    private async Task<FileStream> LockFileAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (IsHeldElsewhere(e))
            {
                // Held by another process or provider instance: its window is one small write.
                if (DateTime.UtcNow >= deadline)
                {
                    throw new TimeoutException($"Waited {_timeout} for the lock file '{path}', which another process or provider instance holds.", e);
                }
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsHeldElsewhere(IOException e) =>
        OperatingSystem.IsWindows() ? e.HResult == WindowsSharingViolation : e.HResult == UnixWouldBlock;

    private sealed class Lease(SemaphoreSlim gate, FileStream file) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await file.DisposeAsync().ConfigureAwait(false);
            gate.Release();
        }
    }
}
