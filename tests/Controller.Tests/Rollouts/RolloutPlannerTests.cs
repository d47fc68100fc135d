using Fleet.Controller.Rollouts;
using Fleet.Core.Releases;

namespace Fleet.Controller.Tests.Rollouts;

public sealed class RolloutPlannerTests
{
    private static readonly (Guid, string)[] Five = [.. new[] { "e", "a", "d", "b", "c" }.Select(n => (Guid.NewGuid(), n))];

    [Fact]
    public void Plan_All_OneWaveOrderedByName()
    {
        var plan = RolloutPlanner.Plan(new StrategySpec(), Five);

        Assert.Equal(["a", "b", "c", "d", "e"], plan.Select(t => t.Name));
        Assert.All(plan, t => Assert.Equal(0, t.Wave));
    }

    [Fact]
    public void Plan_RollingMaxParallel2_WavesOfTwo()
    {
        var plan = RolloutPlanner.Plan(new StrategySpec { Type = RolloutStrategyType.Rolling, MaxParallel = 2 }, Five);

        Assert.Equal([0, 0, 1, 1, 2], plan.Select(t => t.Wave));
    }

    [Fact]
    public void Plan_CanaryCount1MaxParallel2_CanaryThenWavesOfTwo()
    {
        var plan = RolloutPlanner.Plan(new StrategySpec { Type = RolloutStrategyType.Canary, Count = 1, MaxParallel = 2 }, Five);

        Assert.Equal([0, 1, 1, 2, 2], plan.Select(t => t.Wave));
    }

    [Fact]
    public void Plan_CanaryWithoutMaxParallel_RestInOneWave()
    {
        var plan = RolloutPlanner.Plan(new StrategySpec { Type = RolloutStrategyType.Canary, Count = 2 }, Five);

        Assert.Equal([0, 0, 1, 1, 1], plan.Select(t => t.Wave));
    }

    [Fact]
    public void Plan_NoAgents_Empty() =>
        Assert.Empty(RolloutPlanner.Plan(new StrategySpec { Type = RolloutStrategyType.Rolling, MaxParallel = 1 }, []));

    [Fact]
    public void Plan_AllWithOnceHooks_HookHostAloneFirst()
    {
        var plan = RolloutPlanner.Plan(new StrategySpec(), Five, onceHooks: true);

        Assert.Equal([0, 1, 1, 1, 1], plan.Select(t => t.Wave));
        Assert.Equal("a", plan[0].Name);
    }

    [Fact]
    public void Plan_RollingOneWithOnceHooks_Unchanged()
    {
        var plan = RolloutPlanner.Plan(new StrategySpec { Type = RolloutStrategyType.Rolling, MaxParallel = 1 }, Five, onceHooks: true);

        Assert.Equal([0, 1, 2, 3, 4], plan.Select(t => t.Wave));
    }

    [Fact]
    public void HasOnceHooks_EachHostOnly_False()
    {
        var release = new ReleaseDefinition
        {
            App = "shop",
            Services = [],
            Hooks = [new HookSpec { Name = "warm", Image = "x", Command = ["true"], Run = HookRun.EachHost }],
        };

        Assert.False(RolloutPlanner.HasOnceHooks(release));
        Assert.True(RolloutPlanner.HasOnceHooks(release with { Hooks = [release.Hooks[0] with { Run = HookRun.Once }] }));
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    public void HasOnceHooks_RunOnceHookOrPreDeployBackup_OneHostGoesFirst(bool onceHook, bool preDeployBackup, bool expected)
    {
        var release = new ReleaseDefinition
        {
            App = "shop",
            Services = [new ServiceSpec { Name = "web", Image = "registry.example/web@sha256:" + new string('a', 64) }],
            Hooks = [new HookSpec { Name = "migrate", Service = "web", Image = "registry.example/web@sha256:" + new string('a', 64), Command = ["migrate"], Run = onceHook ? HookRun.Once : HookRun.EachHost }],
            Backups = [new BackupSpec { Name = "db", Database = "shop", Store = new BackupStoreSpec { Url = "file:///var/backups" }, EncryptionKeyFile = "/etc/key", PreDeploy = preDeployBackup }],
        };

        Assert.Equal(expected, RolloutPlanner.HasOnceHooks(release));
    }
}
