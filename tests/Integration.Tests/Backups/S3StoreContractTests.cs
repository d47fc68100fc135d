using Fleet.Agent.Backups;
using Fleet.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Integration.Tests.Backups;

[Collection(BackupTestGroup.Name)]
public sealed class S3StoreContractTests(BackupFixture fixture) : BackupStoreContractTests(fixture)
{
    internal override BackupDeclaration NewDeclaration() =>
        Declaration(TestEnvironment.Require("FLEET_TEST_S3_ENDPOINT", "S3 server (s3rver)"), Guid.NewGuid().ToString("N"));

    internal override (BackupDeclaration, string) UnreachableDeclaration() =>
        (Declaration($"http://127.0.0.1:{BackupFixture.ClosedPort()}", "unreachable"), "Connection refused");

    [Fact]
    public async Task RunAsync_DumpLargerThanAPart_StoredAsAMultipartUpload()
    {
        var declaration = NewDeclaration();

        var run = await Fixture.Services.GetRequiredService<BackupService>().RunAsync(declaration, BackupTrigger.Manual, null, Ct);

        Assert.True(run.Succeeded, run.Error);
        // s3rver gives a multipart object the ETag "md5-of-part-md5s-PARTCOUNT".
        var key = $"{declaration.Store.Url.Split('/', 4)[3]}/it/db/{run.Manifest!.Id}{BackupManifest.DataSuffix}";
        var etag = await S3ETagAsync(key);
        Assert.Matches("-[2-9]\"?$", etag);
    }

    private static async Task<string> S3ETagAsync(string key)
    {
        using var http = new HttpClient();
        using var head = new HttpRequestMessage(HttpMethod.Head, $"{TestEnvironment.Require("FLEET_TEST_S3_ENDPOINT", "S3 server (s3rver)")}/{TestEnvironment.Require("FLEET_TEST_S3_BUCKET", "S3 server (s3rver)")}/{key}");
        using var response = await http.SendAsync(head, Ct);
        response.EnsureSuccessStatusCode();
        return response.Headers.ETag!.Tag;
    }

    private BackupDeclaration Declaration(string endpoint, string prefix)
    {
        var declaration = Fixture.Declaration($"s3://{TestEnvironment.Require("FLEET_TEST_S3_BUCKET", "S3 server (s3rver)")}/{prefix}");
        declaration.Store.Endpoint = endpoint;
        declaration.Store.PartSizeMiB = 5;
        BackupFixture.UseS3rverCredentials();
        return declaration;
    }
}
