using Fleet.Contracts.V1;
using Fleet.Core.Trust;
using Fleet.Integration.Tests.Controller;
using Google.Protobuf;
using Grpc.Core;

namespace Fleet.Integration.Tests.Releases;

public sealed class TrustServiceTests
{
    private static readonly EnvironmentRuleSpec[] Staging = [new("staging", ["alice", "bob"], 1)];

    [Fact]
    public async Task SetTrustPolicy_FirstThenRotationByCurrentRoots_BothAcceptedLatestServed()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var keys = new OperatorKeys();
        var client = new TrustService.TrustServiceClient(controller.Channel());
        var admin = ControllerHarness.Bearer(controller.AdminToken);

        var first = await client.SetTrustPolicyAsync(Request(keys.Policy(1, ["alice", "bob"], 2, Staging, "alice", "bob")), admin, cancellationToken: TestContext.Current.CancellationToken);
        // v2 hands the root to carol: signed by both current roots (and by carol, its own root).
        var rotated = keys.Policy(2, ["carol"], 1, Staging, "alice", "bob", "carol");
        var second = await client.SetTrustPolicyAsync(Request(rotated), admin, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        var served = await client.GetTrustPolicyAsync(new GetTrustPolicyRequest(), admin, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, served.Version);
        Assert.Equal(rotated, served.Envelope.ToByteArray());
        Assert.Equal(2L, await controller.Database.ScalarAsync("select count(*) from audit_log where action = 'trust.set'"));
    }

    [Fact]
    public async Task SetTrustPolicy_RotationSignedByOneOfTwoRoots_RefusedPolicyUnchanged()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var keys = new OperatorKeys();
        var client = new TrustService.TrustServiceClient(controller.Channel());
        var admin = ControllerHarness.Bearer(controller.AdminToken);
        await client.SetTrustPolicyAsync(Request(keys.Policy(1, ["alice", "bob"], 2, Staging, "alice", "bob")), admin, cancellationToken: TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.SetTrustPolicyAsync(
            Request(keys.Policy(2, ["mallory"], 1, Staging, "alice", "mallory")), admin, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("signed by 1 of the current root keys; 2 required", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1L, await controller.Database.ScalarAsync("select max(version) from trust_policies"));
    }

    [Fact]
    public async Task SetTrustPolicy_SameVersionAgain_RefusedAsNotNewer()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var keys = new OperatorKeys();
        var client = new TrustService.TrustServiceClient(controller.Channel());
        var admin = ControllerHarness.Bearer(controller.AdminToken);
        var policy = keys.Policy(1, ["alice"], 1, Staging, "alice");
        await client.SetTrustPolicyAsync(Request(policy), admin, cancellationToken: TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.SetTrustPolicyAsync(Request(policy), admin, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("not newer", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetTrustPolicy_DeployerToken_PermissionDeniedNothingStored()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var keys = new OperatorKeys();
        var deployer = await controller.CreateTokenAsync(TokenRole.Deployer);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new TrustService.TrustServiceClient(controller.Channel())
            .SetTrustPolicyAsync(Request(keys.Policy(1, ["alice"], 1, Staging, "alice")), ControllerHarness.Bearer(deployer), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(0L, await controller.Database.ScalarAsync("select count(*) from trust_policies"));
    }

    private static SetTrustPolicyRequest Request(byte[] envelope) => new() { Envelope = ByteString.CopyFrom(envelope) };
}
