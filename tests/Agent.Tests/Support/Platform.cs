using System.Runtime.Versioning;

// The agent under test is Linux-only (it reads /proc and sets Unix file modes).
[assembly: SupportedOSPlatform("linux")]
