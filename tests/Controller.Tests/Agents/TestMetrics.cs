using System.Diagnostics.Metrics;
using Fleet.Controller.Agents;
using Fleet.Controller.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Controller.Tests.Agents;

internal static class TestMetrics
{
    public static IMeterFactory Factory() => new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static ControllerMetrics Create(AgentRegistry registry, IMeterFactory? factory = null) => new(factory ?? Factory(), registry);
}
