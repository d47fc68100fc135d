using System.Text.Json;

namespace Fleet.Tests.Shared;

/// <summary>The runtime settings an executable runs with, from its runtimeconfig.json (copied beside the tests with the referenced executable).</summary>
internal static class RuntimeConfigFile
{
    public static JsonElement Options(string executable)
    {
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, $"{executable}.runtimeconfig.json")));
        return config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
