namespace Fleet.Agent.Acme;

/// <summary>What to ask the CA for.</summary>
internal sealed record IssueRequest(
    IReadOnlyList<string> Domains,
    CertificateKeyType KeyType = CertificateKeyType.EcdsaP256,
    IReadOnlyList<string>? Contacts = null,
    ExternalAccountBinding? ExternalAccount = null,
    string? PreferredChain = null,
    string? Replaces = null);

/// <summary>A new certificate: the chain (leaf first) and its private key.</summary>
internal sealed record IssuedCertificate(CertificateChain Chain, string PrivateKeyPem);

/// <summary>One complete issuance: account, order, authorizations, finalize, download (RFC 8555 §7.4).</summary>
internal static class AcmeIssuer
{
    public static async Task<IssuedCertificate> IssueAsync(AcmeClient client, IssueRequest request, IChallengeSolver solver, CancellationToken cancellationToken)
    {
        if (request.Domains.Count == 0)
        {
            throw new ArgumentException("A certificate needs at least one domain.", nameof(request));
        }

        if (client.AccountUrl is null)
        {
            await client.EnsureAccountAsync(request.Contacts ?? [], request.ExternalAccount, cancellationToken);
        }

        var order = await client.NewOrderAsync(request.Domains, request.Replaces, cancellationToken);
        // Authorizations are independent: validate them side by side (DNS waits dominate otherwise).
        await Task.WhenAll(order.Authorizations.Select(url => AuthorizeAsync(client, url, solver, cancellationToken)));

        using var key = CertificateKeys.Create(request.KeyType);
        var csr = CertificateKeys.CreateCsr(key, request.Domains);
        order = await client.FinalizeAsync(order, csr, cancellationToken);
        var certificateUrl = order.Certificate ?? throw new AcmeProtocolException("The order is valid but names no certificate URL.");
        var chain = await client.DownloadCertificateAsync(certificateUrl, request.PreferredChain, cancellationToken);
        return new IssuedCertificate(chain, CertificateKeys.ExportPem(key));
    }

    private static async Task AuthorizeAsync(AcmeClient client, Uri url, IChallengeSolver solver, CancellationToken cancellationToken)
    {
        var authz = await client.GetAuthorizationAsync(url, cancellationToken);
        if (authz.Status == AcmeStatus.Valid)
        {
            return; // reused: validated recently for this account
        }

        if (authz.Status != AcmeStatus.Pending)
        {
            throw new AcmeProtocolException($"The authorization for {authz.Identifier.Value} is {authz.Status}.");
        }

        var challenge = authz.Challenges.FirstOrDefault(c => c.Type == solver.ChallengeType)
            ?? throw new AcmeProtocolException(
                $"The CA offers no {solver.ChallengeType} challenge for {authz.Identifier.Value} (offered: {string.Join(", ", authz.Challenges.Select(c => c.Type))}).");
        var domain = authz.Wildcard ? "*." + authz.Identifier.Value : authz.Identifier.Value;
        await using (await solver.PresentAsync(domain, challenge.Token, client.KeyAuthorization(challenge.Token), cancellationToken))
        {
            await client.AnswerChallengeAsync(challenge.Url, cancellationToken);
            await client.WaitForAuthorizationAsync(url, cancellationToken);
        }
    }
}
