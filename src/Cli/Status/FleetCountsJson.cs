namespace Fleet.Cli.Status;

internal sealed record FleetCountsJson(int Total, int Connected, int Down, int Revoked, int Pending);
