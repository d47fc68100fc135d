// The controller runs under systemd; file modes (0600 keys) and runuser are Unix-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
