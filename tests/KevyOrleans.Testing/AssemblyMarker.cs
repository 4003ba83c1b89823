namespace KevyOrleans.Testing;
internal static class AssemblyMarker;
