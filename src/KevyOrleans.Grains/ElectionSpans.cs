using System.Diagnostics;
using KevyOrleans.Election;

namespace KevyOrleans.Grains;

/// <summary>
/// One member's <c>kevy.election</c> spans, from the elector's events: a span opens at
/// <see cref="ElectorEventKind.BecameCandidate"/> and ends at <see cref="ElectorEventKind.BecamePrimary"/>
/// (released with the ANNOUNCE, outcome <c>won</c>), or when the candidacy times out, steps down, or
/// a newer candidacy replaces it. The span is a root and never the current activity: it spans many
/// inputs, and what runs between them is not part of it.
/// </summary>
internal sealed class ElectionSpans(string group, string member, IReadOnlyList<string> members)
{
    private readonly string _members = string.Join(",", members);
    private Activity? _candidacy;

    public void Observe(ElectorEvent e)
    {
        switch (e.Kind)
        {
            case ElectorEventKind.BecameCandidate:
                End("superseded", ok: false);
                var outer = Activity.Current;
                Activity.Current = null; // a root span: the input that happened to start the candidacy is not its parent
                _candidacy = KevyTracing.Source.StartActivity("kevy.election")?
                    .SetTag("kevy.group", group).SetTag("kevy.member", member).SetTag("kevy.epoch", (long)e.Epoch).SetTag("kevy.members", _members);
                Activity.Current = outer;
                break;
            case ElectorEventKind.BecamePrimary:
                _candidacy?.SetTag("kevy.epoch", (long)e.Epoch);
                End("won", ok: true);
                break;
            case ElectorEventKind.CandidacyTimedOut:
                End("timed out", ok: false);
                break;
            case ElectorEventKind.SteppedDown or ElectorEventKind.SteppedDownForHandover:
                End("stepped down", ok: false);
                break;
            case ElectorEventKind.EpochExhausted:
                End("epoch exhausted", ok: false);
                break;
            default:
                break;
        }
    }

    private void End(string outcome, bool ok)
    {
        var outer = Activity.Current; // stopping a span that is not current must not change what is
        KevyTracing.End(_candidacy, outcome, ok);
        Activity.Current = outer;
        _candidacy = null;
    }
}
