using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Fleet.Agent.Acme;

internal sealed partial class AcmeClient
{
    /// <summary>
    /// newAccount (RFC 8555 §7.3): creates the account, or finds the existing one for this key
    /// (the server answers 200 with its URL). With <paramref name="eab"/> the request carries an
    /// External Account Binding.
    /// </summary>
    public async Task<Uri> EnsureAccountAsync(IReadOnlyList<string> contacts, ExternalAccountBinding? eab, CancellationToken cancellationToken)
    {
        var directory = await GetDirectoryAsync(cancellationToken);
        var payload = new Dictionary<string, object> { ["termsOfServiceAgreed"] = true };
        if (contacts.Count > 0)
        {
            payload["contact"] = contacts.Select(c => c.Contains(':', StringComparison.Ordinal) ? c : "mailto:" + c).ToArray();
        }

        if (eab is not null)
        {
            payload["externalAccountBinding"] = JsonSerializer.Deserialize<JsonElement>(
                AcmeJws.SignExternalAccountBinding(_key, eab.KeyId, eab.HmacKey, directory.NewAccount));
        }
        else if (directory.Meta?.ExternalAccountRequired == true)
        {
            throw new AcmeProtocolException("This ACME server requires External Account Binding: configure its key id and HMAC key.");
        }

        var response = await PostAsync(directory.NewAccount, JsonSerializer.SerializeToUtf8Bytes(payload), "account registration", cancellationToken, useJwk: true);
        AccountUrl = response.Location ?? throw new AcmeProtocolException("newAccount answered without the account URL (Location).");
        return AccountUrl;
    }

    public async Task<AcmeOrder> NewOrderAsync(IReadOnlyList<string> domains, string? replaces, CancellationToken cancellationToken)
    {
        var directory = await GetDirectoryAsync(cancellationToken);
        var payload = new Dictionary<string, object>
        {
            ["identifiers"] = domains.Select(d => new AcmeIdentifier("dns", d)).ToArray(),
        };
        if (replaces is not null && directory.RenewalInfo is not null)
        {
            payload["replaces"] = replaces;
        }

        var response = await PostAsync(directory.NewOrder, JsonSerializer.SerializeToUtf8Bytes(payload, AcmeJson.Options), "new order", cancellationToken);
        return AcmeJson.Read<AcmeOrder>(response.Body) with
        {
            Url = response.Location ?? throw new AcmeProtocolException("newOrder answered without the order URL (Location)."),
        };
    }

    public async Task<AcmeAuthorization> GetAuthorizationAsync(Uri url, CancellationToken cancellationToken) =>
        AcmeJson.Read<AcmeAuthorization>((await PostAsync(url, null, "authorization fetch", cancellationToken)).Body);

    /// <summary>Tells the server the challenge is ready to be validated (an empty JSON object).</summary>
    public async Task AnswerChallengeAsync(Uri challengeUrl, CancellationToken cancellationToken) =>
        await PostAsync(challengeUrl, "{}"u8.ToArray(), "challenge response", cancellationToken);

    /// <summary>Polls until valid; an invalid authorization throws with the failed challenge's problem.</summary>
    public async Task<AcmeAuthorization> WaitForAuthorizationAsync(Uri url, CancellationToken cancellationToken)
    {
        var authz = await PollAsync<AcmeAuthorization>(url, "validation", a => a.Status is not AcmeStatus.Pending, cancellationToken);
        if (authz.Status == AcmeStatus.Valid)
        {
            return authz;
        }

        var failed = authz.Challenges.FirstOrDefault(c => c.Error is not null);
        var problem = failed?.Error ?? new AcmeProblem(null, $"authorization is {authz.Status}", null, null, null);
        throw new AcmeProblemException(problem with { Detail = $"{authz.Identifier.Value}: {problem.Detail}" },
            System.Net.HttpStatusCode.Forbidden, $"{failed?.Type ?? "challenge"} validation", null);
    }

    /// <summary>Waits for ready, sends the CSR, waits for valid; returns the order with its certificate URL.</summary>
    public async Task<AcmeOrder> FinalizeAsync(AcmeOrder order, byte[] csrDer, CancellationToken cancellationToken)
    {
        var url = order.Url ?? throw new ArgumentException("The order has no URL.", nameof(order));
        order = await PollAsync<AcmeOrder>(url, "order", o => o.Status is not AcmeStatus.Pending, cancellationToken);
        ThrowIfInvalid(order);
        if (order.Status == AcmeStatus.Ready)
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["csr"] = Base64Url.EncodeToString(csrDer) });
            await PostAsync(order.Finalize, payload, "finalize", cancellationToken);
        }

        order = await PollAsync<AcmeOrder>(url, "certificate issuance", o => o.Status is AcmeStatus.Valid or AcmeStatus.Invalid, cancellationToken);
        ThrowIfInvalid(order);
        return order with { Url = url };
    }

    /// <summary>
    /// Downloads the chain; with <paramref name="preferredIssuer"/>, also the rel="alternate" chains,
    /// taking the first whose topmost issuer has that common name (else the default chain).
    /// </summary>
    public async Task<CertificateChain> DownloadCertificateAsync(Uri url, string? preferredIssuer, CancellationToken cancellationToken)
    {
        var response = await PostAsync(url, null, "certificate download", cancellationToken, accept: CertificateChain.MediaType);
        var chain = CertificateChain.Parse(response.Body);
        if (string.IsNullOrEmpty(preferredIssuer) || chain.IsIssuedBy(preferredIssuer))
        {
            return chain;
        }

        foreach (var link in response.Links.Where(l => l.Rel == "alternate"))
        {
            var alternate = CertificateChain.Parse((await PostAsync(link.Target, null, "certificate download", cancellationToken, accept: CertificateChain.MediaType)).Body);
            if (alternate.IsIssuedBy(preferredIssuer))
            {
                return alternate;
            }
        }

        return chain;
    }

    /// <summary>keyChange (RFC 8555 §7.3.5): the inner JWS is signed by the new key, the outer by the old.</summary>
    public async Task RolloverKeyAsync(ECDsa newKey, CancellationToken cancellationToken)
    {
        var directory = await GetDirectoryAsync(cancellationToken);
        var url = directory.KeyChange ?? throw new AcmeProtocolException("This ACME server does not offer key rollover.");
        var account = AccountUrl ?? throw new InvalidOperationException("No ACME account yet: call EnsureAccountAsync first.");
        var inner = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["account"] = account.AbsoluteUri,
            ["oldKey"] = JsonSerializer.Deserialize<JsonElement>(AcmeJws.JwkBytes(_key)),
        });
        await PostAsync(url, AcmeJws.Sign(newKey, kid: null, nonce: null, url, inner), "key rollover", cancellationToken);
        _key = newKey;
    }

    /// <summary>revokeCert (RFC 8555 §7.6) signed by the account; reason is an RFC 5280 CRLReason code.</summary>
    public async Task RevokeAsync(X509Certificate2 certificate, int? reason, CancellationToken cancellationToken)
    {
        var directory = await GetDirectoryAsync(cancellationToken);
        var url = directory.RevokeCert ?? throw new AcmeProtocolException("This ACME server does not offer revocation.");
        var payload = new Dictionary<string, object> { ["certificate"] = Base64Url.EncodeToString(certificate.RawData) };
        if (reason is { } code)
        {
            payload["reason"] = code;
        }

        await PostAsync(url, JsonSerializer.SerializeToUtf8Bytes(payload), "revocation", cancellationToken);
    }

    /// <summary>RFC 9773 renewal window, or null when the directory has no renewalInfo.</summary>
    public async Task<AcmeRenewalInfo?> GetRenewalInfoAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var directory = await GetDirectoryAsync(cancellationToken);
        if (directory.RenewalInfo is null || RenewalCertId.For(certificate) is not { } certId)
        {
            return null;
        }

        using var response = await _http.GetAsync(new Uri(directory.RenewalInfo.AbsoluteUri.TrimEnd('/') + "/" + certId), cancellationToken);
        return response.IsSuccessStatusCode
            ? AcmeJson.Read<AcmeRenewalInfo>(await response.Content.ReadAsByteArrayAsync(cancellationToken))
            : null;
    }

    /// <summary>token.thumbprint (RFC 8555 §8.1).</summary>
    public string KeyAuthorization(string token) => token + "." + AcmeJws.Thumbprint(_key);

    private static void ThrowIfInvalid(AcmeOrder order)
    {
        if (order.Status == AcmeStatus.Invalid)
        {
            throw new AcmeProblemException(order.Error ?? new AcmeProblem(null, "the order became invalid", null, null, null),
                System.Net.HttpStatusCode.Forbidden, "order", null);
        }
    }
}

/// <summary>An External Account Binding key pair handed out by the CA.</summary>
internal sealed record ExternalAccountBinding(string KeyId, byte[] HmacKey);
