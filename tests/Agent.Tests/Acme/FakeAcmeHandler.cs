using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Fleet.Agent.Tests.Acme;

/// <summary>An in-memory ACME server front: serves the directory and newNonce, hands POSTs to <see cref="OnPost"/>.</summary>
internal sealed class FakeAcmeHandler : HttpMessageHandler
{
    public const string Base = "https://ca.test/";
    private int _nonce;

    public List<(string Path, string Nonce, JsonElement Header)> Posts { get; } = [];

    public Func<string, int, HttpResponseMessage> OnPost { get; set; } = (_, _) => Json(HttpStatusCode.OK, "{}");

    public static string Directory(bool renewalInfo = false) =>
        $$"""{"newNonce":"{{Base}}nonce","newAccount":"{{Base}}account","newOrder":"{{Base}}order","revokeCert":"{{Base}}revoke","keyChange":"{{Base}}key-change"{{(renewalInfo ? $",\"renewalInfo\":\"{Base}ari\"" : "")}}}""";

    public static HttpResponseMessage Json(HttpStatusCode status, string body, string type = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, type) };

    public static HttpResponseMessage Problem(string type, string detail, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        Json(status, $$"""{"type":"urn:ietf:params:acme:error:{{type}}","detail":"{{detail}}","status":{{(int)status}}}""", "application/problem+json");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath.TrimStart('/');
        HttpResponseMessage response;
        if (request.Method == HttpMethod.Get && path == "dir")
        {
            response = Json(HttpStatusCode.OK, Directory());
        }
        else if (request.Method == HttpMethod.Head && path == "nonce")
        {
            response = new HttpResponseMessage(HttpStatusCode.OK);
        }
        else
        {
            var jws = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement;
            var header = JsonDocument.Parse(Base64Url.DecodeFromChars(jws.GetProperty("protected").GetString())).RootElement;
            Posts.Add((path, header.GetProperty("nonce").GetString()!, header));
            response = OnPost(path, Posts.Count(p => p.Path == path));
        }

        response.Headers.Add("Replay-Nonce", "nonce-" + Interlocked.Increment(ref _nonce));
        return response;
    }
}
