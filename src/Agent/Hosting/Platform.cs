using System.Runtime.Versioning;

// The agent reads /proc, sets Unix file modes and talks to systemd: it runs on Linux only.
[assembly: SupportedOSPlatform("linux")]
