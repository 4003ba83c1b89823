using System.Text;

namespace KevyOrleans.Election.Tests.Simulated;

/// <summary>The last lines of what happened, printed when a seed fails.</summary>
internal sealed class TraceLog(int capacity)
{
    private readonly Queue<string> _lines = new();

    public void Add(TimeSpan at, string line)
    {
        if (_lines.Count == capacity)
        {
            _lines.Dequeue();
        }
        _lines.Enqueue($"{at.TotalMilliseconds,9:0.0} ms  {line}");
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var l in _lines)
        {
            sb.AppendLine(l);
        }
        return sb.ToString();
    }
}
