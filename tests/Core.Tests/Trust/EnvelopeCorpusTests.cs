using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Core.Releases;
using Fleet.Core.Tests.TestSupport;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.Trust;

/// <summary>
/// Replays the envelope corpus in <c>Trust/Corpus</c> (written by <c>scripts/corpus/envelopes.cs</c>):
/// each case is an envelope and the verdict an agent of the case's environment must reach, with
/// the corpus policy, at 2026-06-01 12:00 UTC, having applied sequence 3 of shop in that environment.
/// </summary>
public sealed class EnvelopeCorpusTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Trust", "Corpus");

    public static TheoryData<string> Cases() => [.. CaseNames()];

    [Fact]
    public void Corpus_CoversEveryRefusalCodeButSizePolicyAndLabels()
    {
        var expected = CaseNames().Select(c => Load(c).Expected).ToHashSet(StringComparer.Ordinal);

        var reachable = Enum.GetNames<ReleaseRefusalCode>()
            .Except([nameof(ReleaseRefusalCode.EnvelopeTooLarge), nameof(ReleaseRefusalCode.TrustPolicyExpired), nameof(ReleaseRefusalCode.LabelsMismatch)])
            .ToHashSet(StringComparer.Ordinal);
        Assert.Subset(expected, reachable);
        Assert.Contains("Accepted", expected);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Admit_CorpusCase_ExpectedVerdict(string name)
    {
        var corpusCase = Load(name);
        var policy = TrustPolicy.ParsePayload(File.ReadAllBytes(Path.Combine(Folder, "policy.json")));
        var agent = new AgentTarget(corpusCase.AgentEnvironment, new Dictionary<string, string> { ["role"] = "web" });
        var applied = new Dictionary<AppEnvironment, long> { [new AppEnvironment("shop", corpusCase.AgentEnvironment)] = 3 };

        var decision = ReleaseAdmission.Admit(Convert.FromBase64String(corpusCase.EnvelopeBase64), policy, agent, applied, TestTrust.Now);

        Assert.Equal(corpusCase.Expected, decision.Refusal?.Code.ToString() ?? "Accepted");
    }

    private static IEnumerable<string> CaseNames() =>
        Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Where(n => n != "policy").Order(StringComparer.Ordinal);

    private static CorpusCase Load(string name) =>
        JsonSerializer.Deserialize<CorpusCase>(File.ReadAllBytes(Path.Combine(Folder, name + ".json")))!;

    private sealed record CorpusCase(
        [property: JsonPropertyName("description")] string Description,
        [property: JsonPropertyName("agent_environment")] string AgentEnvironment,
        [property: JsonPropertyName("expected")] string Expected,
        [property: JsonPropertyName("envelope_base64")] string EnvelopeBase64);
}
