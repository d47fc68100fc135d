using System.Collections;
using Fleet.Cli;

var environment = Environment.GetEnvironmentVariables()
    .Cast<DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
return await CliApp.RunAsync(args, Console.Out, Console.Error, environment);
