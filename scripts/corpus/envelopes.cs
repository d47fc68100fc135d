#:project ../../src/Core/Core.csproj
#:property PublishAot=false
// Writes the envelope corpus that tests/Core.Tests/Trust/EnvelopeCorpusTests.cs replays:
// a trust policy (public keys only) and one case file per envelope with its expected verdict.
// Fresh keys are made on every run and their private halves discarded, so a rerun rewrites
// every file. Run from the repository root: dotnet run --file scripts/corpus/envelopes.cs
using System.Text;
using System.Text.Json;
using Fleet.Core.Releases;
using Fleet.Core.Trust;

const string Folder = "tests/Core.Tests/Trust/Corpus";
const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

using var alice = OperatorKey.Generate("alice");
using var bob = OperatorKey.Generate("bob");
using var carol = OperatorKey.Generate("carol");
using var dave = OperatorKey.Generate("dave");
var policy = TrustPolicy.Create(
    1,
    new[] { alice, bob, carol }.Select(k => new TrustedKey(k.Name, k.PublicKey)),
    new ThresholdRule(new HashSet<string> { alice.KeyId, bob.KeyId }, 2),
    new Dictionary<string, ThresholdRule>
    {
        ["staging"] = new(new HashSet<string> { alice.KeyId, bob.KeyId, carol.KeyId }, 1),
        ["production"] = new(new HashSet<string> { alice.KeyId, bob.KeyId }, 2),
    },
    maxValidity: new Dictionary<string, TimeSpan> { ["production"] = TimeSpan.FromHours(12) });

Directory.CreateDirectory(Folder);
foreach (var old in Directory.GetFiles(Folder, "*.json"))
{
    File.Delete(old);
}

File.WriteAllBytes(Path.Combine(Folder, "policy.json"), policy.ToJson());

ReleaseManifest Manifest(string environment = "staging", long sequence = 5, string image = "r.example/shop/web@" + Digest,
    DateTimeOffset? created = null, TimeSpan? validity = null, string app = "shop") => new()
{
    Environment = environment,
    Sequence = sequence,
    CreatedAt = created ?? now.AddMinutes(-5),
    ExpiresAt = (created ?? now.AddMinutes(-5)) + (validity ?? TimeSpan.FromHours(1)),
    Release = new ReleaseDefinition
    {
        App = app,
        TargetLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["role"] = "web" },
        Services = [new ServiceSpec { Name = "web", Image = image, Health = new HealthCheckSpec { Type = HealthCheckType.Http, Path = "/health", Port = 8080 } }],
    },
};

byte[] Edited(ReleaseManifest manifest, string from, string to)
{
    var json = Encoding.UTF8.GetString(manifest.ToCanonicalJson());
    return json.Contains(from, StringComparison.Ordinal)
        ? Encoding.UTF8.GetBytes(json.Replace(from, to, StringComparison.Ordinal))
        : throw new InvalidOperationException($"'{from}' is not in {json}");
}

byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

var staging = Manifest().Sign([carol]);
var tampered = staging.Payload.ToArray();
tampered[Array.IndexOf(tampered, (byte)'5')] = (byte)'6';
var cases = new (string Name, string Expected, string Description, string Agent, byte[] Envelope)[]
{
    ("accepted-staging-one-key", "Accepted", "staging release signed by one of its three keys", "staging", staging.ToJson()),
    ("accepted-production-two-keys", "Accepted", "production release signed by both production keys", "production", Manifest("production").Sign([alice, bob]).ToJson()),
    ("accepted-tag-and-digest", "Accepted", "image written name:tag@digest is pinned by its digest", "staging", Manifest(image: "r.example/shop/web:1.4@" + Digest).Sign([alice]).ToJson()),
    ("accepted-validity-at-the-limit", "Accepted", "production release valid exactly its 12h max validity", "production", Manifest("production", created: now.AddMinutes(-1), validity: TimeSpan.FromHours(12)).Sign([alice, bob]).ToJson()),
    ("threshold-one-of-two", "ThresholdNotMet", "production release with one of the two signatures it needs", "production", Manifest("production").Sign([alice]).ToJson()),
    ("threshold-same-key-twice", "ThresholdNotMet", "one production key signing twice counts once", "production", Manifest("production").Sign([alice, alice]).ToJson()),
    ("threshold-staging-key-on-production", "ThresholdNotMet", "carol is trusted for staging only and adds nothing to production", "production", Manifest("production").Sign([alice, carol]).ToJson()),
    ("untrusted-unknown-key", "NoTrustedSignature", "signed by dave, whom the policy does not list", "staging", Manifest().Sign([dave]).ToJson()),
    ("untrusted-tampered-payload", "NoTrustedSignature", "one payload byte changed after signing", "staging", (staging with { Payload = tampered }).ToJson()),
    ("untrusted-no-signatures", "NoTrustedSignature", "a valid manifest with no signature at all", "staging", (staging with { Signatures = [] }).ToJson()),
    ("untrusted-signature-moved-to-other-payload", "NoTrustedSignature", "carol's signature of sequence 5 attached to sequence 6", "staging", (Manifest(sequence: 6).Sign([]) with { Signatures = staging.Signatures }).ToJson()),
    ("malformed-empty", "EnvelopeMalformed", "zero bytes", "staging", []),
    ("malformed-not-json", "EnvelopeMalformed", "plain text", "staging", Json("release 5, trust me")),
    ("malformed-trailing-garbage", "EnvelopeMalformed", "a valid envelope followed by more bytes", "staging", [.. staging.ToJson(), .. Json("{}")]),
    ("malformed-duplicate-payload", "EnvelopeMalformed", "the payload property given twice (the second would win in a lax parser)", "staging",
        Json(Encoding.UTF8.GetString(staging.ToJson()).Replace("\"payload\":", $"\"payload\":\"{Convert.ToBase64String(Manifest(sequence: 99).ToCanonicalJson())}\",\"payload\":", StringComparison.Ordinal))),
    ("malformed-wrong-payload-type", "EnvelopeMalformed", "a trust policy envelope offered as a release", "staging", policy.Sign([alice, bob]).ToJson()),
    ("malformed-bad-base64", "EnvelopeMalformed", "payload is not base64", "staging", Json("{\"payloadType\":\"application/vnd.fleet.release+json\",\"payload\":\"%%%\",\"signatures\":[]}")),
    ("malformed-seventeen-signatures", "EnvelopeMalformed", "more than the 16 signatures an envelope may carry", "staging",
        (staging with { Signatures = [.. Enumerable.Repeat(staging.Signatures[0], 17)] }).ToJson()),
    ("manifest-timestamp-without-offset", "ManifestMalformed", "expires_at without a zone: refused, never read in local time", "staging",
        Dsse.Sign(ReleaseManifest.PayloadType, Edited(Manifest(), "2026-06-01T12:55:00+00:00", "2026-06-01T12:55:00"), [alice]).ToJson()),
    ("manifest-numeric-enum", "ManifestMalformed", "health check type given as a number outside the enum", "staging",
        Dsse.Sign(ReleaseManifest.PayloadType, Edited(Manifest(), "\"type\":\"http\"", "\"type\":7"), [alice]).ToJson()),
    ("manifest-environment-newline", "ManifestMalformed", "environment 'staging\\n' (a '$' anchor would accept it)", "staging",
        Dsse.Sign(ReleaseManifest.PayloadType, Edited(Manifest(), "\"environment\":\"staging\"", "\"environment\":\"staging\\n\""), [alice]).ToJson()),
    ("manifest-app-newline", "ManifestMalformed", "app 'shop\\n', which would be another sequence stream", "staging",
        Dsse.Sign(ReleaseManifest.PayloadType, Edited(Manifest(), "\"app\":\"shop\"", "\"app\":\"shop\\n\""), [alice]).ToJson()),
    ("manifest-unknown-field", "ManifestMalformed", "a field this agent does not know", "staging",
        Dsse.Sign(ReleaseManifest.PayloadType, Edited(Manifest(), "{\"environment\"", "{\"run_as_root\":true,\"environment\""), [alice]).ToJson()),
    ("manifest-odd-registry", "ManifestMalformed", "a registry host with a space in it", "staging", Dsse.Sign(ReleaseManifest.PayloadType,
        Edited(Manifest(), "r.example/shop/web@", "r example.io/shop/web@"), [alice]).ToJson()),
    ("unknown-environment", "UnknownEnvironment", "environment qa has no rule in the policy", "qa", Manifest("qa").Sign([alice]).ToJson()),
    ("validity-year-9999", "ValidityTooLong", "expires_at in the year 9999", "staging",
        Manifest(validity: new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero) - now.AddMinutes(-5)).Sign([alice]).ToJson()),
    ("validity-beyond-environment-limit", "ValidityTooLong", "production allows 12h; this one is valid 13h", "production",
        Manifest("production", validity: TimeSpan.FromHours(13)).Sign([alice, bob]).ToJson()),
    ("created-in-the-future", "NotYetValid", "created_at ten minutes ahead of the verifier's clock", "staging", Manifest(created: now.AddMinutes(10)).Sign([alice]).ToJson()),
    ("expired", "Expired", "expired a minute ago", "staging", Manifest(created: now.AddHours(-1).AddMinutes(-1)).Sign([alice]).ToJson()),
    ("other-environment", "EnvironmentMismatch", "a fully signed production release offered to a staging agent", "staging", Manifest("production").Sign([alice, bob]).ToJson()),
    ("replay", "SequenceNotNewer", "sequence 3, the one this agent already applied", "staging", Manifest(sequence: 3).Sign([alice]).ToJson()),
    ("older", "SequenceNotNewer", "sequence 2, older than the applied 3", "staging", Manifest(sequence: 2).Sign([alice]).ToJson()),
    ("tag-only-image", "ImageNotPinned", "image by tag, not by digest", "staging", Manifest(image: "r.example/shop/web:1.4").Sign([alice]).ToJson()),
};

var indented = new JsonSerializerOptions { WriteIndented = true };
foreach (var (name, expected, description, agent, envelope) in cases)
{
    var document = new Dictionary<string, string>
    {
        ["description"] = description,
        ["agent_environment"] = agent,
        ["expected"] = expected,
        ["envelope_base64"] = Convert.ToBase64String(envelope),
    };
    File.WriteAllText(Path.Combine(Folder, name + ".json"), JsonSerializer.Serialize(document, indented) + "\n");
}

Console.WriteLine($"wrote {cases.Length} cases and policy.json to {Folder}");
