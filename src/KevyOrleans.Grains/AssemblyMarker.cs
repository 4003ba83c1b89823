namespace KevyOrleans.Grains;
internal static class AssemblyMarker;
