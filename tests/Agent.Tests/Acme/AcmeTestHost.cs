using Fleet.Agent.Acme;
using Fleet.Agent.Events;
using Fleet.Agent.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Agent.Tests.Acme;

/// <summary>AddAcme as the agent host registers it, over a scratch state folder, with local declarations given as settings.</summary>
internal sealed class AcmeTestHost : IDisposable
{
    private readonly TempDir _state = new();
    private readonly ServiceProvider _provider;

    public AcmeTestHost(Dictionary<string, string?>? settings = null)
    {
        Outbox = new EventOutbox(_state.Path);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        _provider = new ServiceCollection().AddLogging().AddSingleton(Outbox).AddAcme(configuration, _state.Path).BuildServiceProvider();
    }

    public EventOutbox Outbox { get; }

    public string StateDirectory => _state.Combine("certificates");

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public void Dispose()
    {
        _provider.Dispose();
        _state.Dispose();
    }
}
