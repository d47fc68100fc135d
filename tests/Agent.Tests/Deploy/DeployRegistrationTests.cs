using Fleet.Agent.Deploy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Tests.Deploy;

public sealed class DeployRegistrationTests
{
    [Fact]
    public void AddDeploy_JournalPathSet_ResolvesEngineAndReconciler()
    {
        using var provider = Build(new() { ["Deploy:JournalPath"] = Path.Combine(Path.GetTempPath(), "fleet-none", "journal.json") });

        Assert.NotNull(provider.GetRequiredService<SwapEngine>());
        Assert.NotNull(provider.GetRequiredService<Reconciler>());
        Assert.Same(provider.GetRequiredService<IContainerRuntime>(), provider.GetRequiredService<IContainerRuntime>());
    }

    [Fact]
    public void AddDeploy_NoJournalPath_OptionsValidationFails()
    {
        using var provider = Build([]);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DeployOptions>>().Value);

        Assert.Contains("JournalPath", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddDeploy();
        return services.BuildServiceProvider();
    }
}
