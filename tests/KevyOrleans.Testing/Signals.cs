using System.Runtime.InteropServices;

namespace KevyOrleans.Testing;

/// <summary>POSIX signals .NET does not offer: Process.Kill sends SIGKILL, never SIGTERM.</summary>
public static class Signals
{
    private const int SigTerm = 15;
    private const int SigStop = 19;
    private const int SigCont = 18;

    /// <summary>Sends SIGTERM to one process by its id; false when it is already gone.</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    /// <summary>SIGSTOP: the process freezes (answers nothing, keeps its sockets open) until <see cref="Continue"/>.</summary>
    public static bool Stop(int pid) => Kill(pid, SigStop) == 0;

    public static bool Continue(int pid) => Kill(pid, SigCont) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
