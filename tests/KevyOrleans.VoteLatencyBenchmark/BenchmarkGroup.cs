using KevyOrleans.Testing;

namespace KevyOrleans.VoteLatencyBenchmark;

/// <summary>
/// The measured group: two external kevy members (n1, n2) the harness plays over TCP from 127.0.0.1,
/// and one witness (w3) the silo hosts. A witness has no data node, so a vote costs one durable write
/// and nothing else; with n1 and n2 silent no primary exists and every new epoch gets a vote.
/// </summary>
internal sealed class BenchmarkGroup
{
    public const string Name = "bench";
    public const string Candidate = "n1";
    public const string OtherExternal = "n2";
    public const string Witness = "w3";

    public int CandidateElectPort { get; } = FreePort.Get();
    public int OtherElectPort { get; } = FreePort.Get();
    public int WitnessElectPort { get; } = FreePort.Get();

    // Client ports of the external data members: in the member list only; the silo drives no data node here.
    private readonly int _candidateClientPort = FreePort.Get();
    private readonly int _otherClientPort = FreePort.Get();

    /// <summary>kevy's member-list string.</summary>
    public string Peers =>
        $"{Candidate}@127.0.0.1:{CandidateElectPort}:{_candidateClientPort},{OtherExternal}@127.0.0.1:{OtherElectPort}:{_otherClientPort},{Witness}@127.0.0.1:{WitnessElectPort}";
}
