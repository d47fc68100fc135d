namespace Fleet.Cli.Output;

internal enum OutputFormat
{
    Table,
    Json,
}
