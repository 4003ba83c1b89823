using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KevyOrleans.Gateway.Tests.Outbound.Support;

/// <summary>Keeps every log line's event id and text, so tests can check what is logged and how often.</summary>
internal sealed class ListLogger : ILogger, ILoggerFactory
{
    private readonly ConcurrentQueue<(int EventId, string Text)> _lines = new();

    public IReadOnlyList<(int EventId, string Text)> Lines => [.. _lines];

    public int Count(int eventId) => _lines.Count(l => l.EventId == eventId);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue((eventId.Id, formatter(state, exception)));

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
