using System.Runtime.InteropServices;

namespace KevyOrleans.Testing;

/// <summary>POSIX signals .NET does not offer: Process.Kill sends SIGKILL, never SIGTERM.</summary>
internal static class Signals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM to one process by its id; false when it is already gone.</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
