namespace KevyOrleans.Hosting;
internal static class AssemblyMarker;
