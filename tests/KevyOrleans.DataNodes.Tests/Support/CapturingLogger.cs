using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.DataNodes.Tests.Support;

/// <summary>One captured log line: level, event id, the formatted message and the exception it carried.</summary>
internal sealed record LogLine(LogLevel Level, EventId Id, string Message, Exception? Exception);

/// <summary>A logger that keeps every line at every level, to assert what an operator would see.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue(new LogLine(logLevel, eventId, formatter(state, exception), exception));
}
