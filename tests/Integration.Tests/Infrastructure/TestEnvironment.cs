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

    public static string Postgres => Require("FLEET_TEST_PG", "PostgreSQL server");
}
