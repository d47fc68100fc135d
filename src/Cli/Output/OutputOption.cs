using System.CommandLine;

namespace Fleet.Cli.Output;

internal static class OutputOption
{
    /// <summary>A fresh <c>--output table|json</c> option for one read command.</summary>
    public static Option<OutputFormat> Create() => new("--output", "-o")
    {
        Description = "Output format: table (for people) or json (for scripts; stable camelCase fields)",
        HelpName = "table|json",
        DefaultValueFactory = _ => OutputFormat.Table,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            switch (text)
            {
                case "table":
                    return OutputFormat.Table;
                case "json":
                    return OutputFormat.Json;
                default:
                    result.AddError($"--output must be table or json, got '{text}'");
                    return OutputFormat.Table;
            }
        },
    };
}
