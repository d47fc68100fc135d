namespace Fleet.Agent.Acme;

/// <summary>Signals a reload may send to a container.</summary>
internal static class ReloadSignals
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGINT", "SIGQUIT", "SIGTERM", "SIGWINCH",
    };

    public static bool IsKnown(string signal) => Known.Contains(signal);
}
