using KevyOrleans.Protocol;

namespace KevyOrleans.Election.Tests.Simulated;

internal enum SimEventKind : byte { Tick, Wake, Deliver, Action }

/// <summary>One scheduled thing: a timer, a frame in flight, or a scripted action.</summary>
internal readonly record struct SimEvent(SimEventKind Kind, string Node, ElectionMessage Message, string? From, long Generation, Action? Action);
