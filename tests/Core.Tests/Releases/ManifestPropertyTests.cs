using CsCheck;
using Fleet.Core.Releases;
using Fleet.Core.Tests.TestSupport;

namespace Fleet.Core.Tests.Releases;

/// <summary>Manifest building and parsing on random input: valid or a list of errors, and a stable canonical form.</summary>
public sealed class ManifestPropertyTests
{
    // Names drawn from valid characters and a few that must be refused ('\n', upper case, '_', ' ').
    private static readonly Gen<string> Names = Gen.Char["abz09-\nA_ ."].Array[0, 70].Select(c => new string(c));

    [Fact]
    public void Create_RandomNamesSequencesAndPorts_ValidAndStableOrRefusedWithErrors() =>
        Gen.Select(Names, Names, Names, Gen.Long[-2, long.MaxValue], Gen.Int[-5, 70_000], Gen.Int[1, 20_000]).Sample(
            (app, environment, service, sequence, port, validityMinutes) =>
            {
                var release = new ReleaseDefinition
                {
                    App = app,
                    Services = [new ServiceSpec { Name = service, Image = "r.example/web@" + TestTrust.Digest, Ports = [new PortMapping { ContainerPort = port }] }],
                };
                ReleaseManifest manifest;
                try
                {
                    manifest = ReleaseManifest.Create(release, environment, sequence, TestTrust.Now, TimeSpan.FromMinutes(validityMinutes));
                }
                catch (ReleaseValidationException ex)
                {
                    Assert.NotEmpty(ex.Errors);
                    return;
                }

                Assert.DoesNotContain('\n', manifest.App + manifest.Environment + manifest.Release.Services[0].Name);
                var json = manifest.ToCanonicalJson();
                Assert.Equal(json, ReleaseManifest.Parse(json).ToCanonicalJson());
            }, iter: 2_000);

    [Fact]
    public void Parse_CanonicalJsonWithRandomByteChanges_RefusedWithErrorsOrStableCanonicalForm()
    {
        var json = TestTrust.Manifest().ToCanonicalJson();
        Gen.Select(Gen.Int[0, json.Length - 1], Gen.Byte, Gen.Bool).Sample((position, value, delete) =>
        {
            var mutated = delete ? [.. json[..position], .. json[(position + 1)..]] : (byte[])json.Clone();
            if (!delete)
            {
                mutated[position] = value;
            }

            ReleaseManifest parsed;
            try
            {
                parsed = ReleaseManifest.Parse(mutated);
            }
            catch (ReleaseValidationException ex)
            {
                Assert.NotEmpty(ex.Errors);
                return;
            }

            var canonical = parsed.ToCanonicalJson();
            Assert.Equal(canonical, ReleaseManifest.Parse(canonical).ToCanonicalJson());
        }, iter: 3_000);
    }
}
