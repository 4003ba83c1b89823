namespace KevyOrleans.Election.Tests.Simulation;

internal sealed class SafetyViolationException(string message) : Exception(message);
