namespace KevyOrleans.Election.Tests.Simulated;

internal sealed class SafetyViolationException(string message) : Exception(message);
