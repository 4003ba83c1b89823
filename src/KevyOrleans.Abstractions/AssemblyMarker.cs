namespace KevyOrleans.Abstractions;
internal static class AssemblyMarker;
