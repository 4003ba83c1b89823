using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Silo.Tests.Support;

/// <summary>Every log line of a silo, as written (message and structured values), for assertions.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(string Category, EventId Event, string Text)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Capture(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Capture(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The values too, not only the rendered message: a secret must not hide in a structured field.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Lines.Enqueue((category, eventId, $"{formatter(state, exception)} | {values} | {exception}"));
        }
    }
}
