using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Fleet.Agent.Acme;

/// <summary>One RFC 8288 link: ACME uses rel="alternate" for other chains and rel="up" for issuers.</summary>
internal sealed partial record LinkHeader(Uri Target, string Rel)
{
    public static IReadOnlyList<LinkHeader> Parse(HttpResponseHeaders headers, Uri? baseUri = null) =>
        headers.TryGetValues("Link", out var values) ? Parse(values, baseUri) : [];

    public static IReadOnlyList<LinkHeader> Parse(IEnumerable<string> values, Uri? baseUri = null)
    {
        var links = new List<LinkHeader>();
        foreach (var value in values)
        {
            foreach (Match m in LinkPattern().Matches(value))
            {
                var target = m.Groups["target"].Value;
                // With a base, resolve first: on Unix "/cert/2" would otherwise parse as a file URI.
                if (baseUri is not null ? Uri.TryCreate(baseUri, target, out var uri) : Uri.TryCreate(target, UriKind.Absolute, out uri))
                {
                    links.Add(new LinkHeader(uri, m.Groups["rel"].Value));
                }
            }
        }

        return links;
    }

    [GeneratedRegex("""<(?<target>[^>]*)>\s*(?:;[^,;]*?)*;\s*rel="?(?<rel>[^";,]+)"?""")]
    private static partial Regex LinkPattern();
}
