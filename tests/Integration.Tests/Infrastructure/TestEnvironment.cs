namespace Fleet.Integration.Tests.Infrastructure;

/// <summary>
/// Reads the services that ./scripts/test.sh starts. A missing service fails the test with the
/// name of what is missing: integration tests never skip.
/// </summary>
internal static class TestEnvironment
{
    public static string Require(string variable, string service)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"{variable} is not set: this test needs a real {service}. Run the suite through ./scripts/test.sh, which starts it.");
        }

        return value;
    }

    /// <summary>The folder holding Agents.sln, found upwards from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Postgres => Require("FLEET_TEST_PG", "PostgreSQL server");

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Agents.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"Agents.sln not found above {AppContext.BaseDirectory}");
    }
}
