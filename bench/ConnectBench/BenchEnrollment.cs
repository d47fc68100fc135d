using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Contracts.V1;
using Fleet.Core.Transport;

namespace Fleet.Bench.Connect;

/// <summary>Enrolls simulated agents with one join token: each gets its own key and certificate.</summary>
internal static class BenchEnrollment
{
    public static async Task<X509Certificate2[]> EnrollAsync(
        ControllerUnderTest controller, int count, string description, IDictionary<string, string>? labels = null)
    {
        var validator = new PinnedServerValidator([controller.CaPin]);
        using var channel = PinnedChannel.Create(controller.Url, validator);
        var token = await new TokensService.TokensServiceClient(channel).CreateTokenAsync(
            new CreateTokenRequest { Role = TokenRole.AgentJoin, TtlSeconds = 3600, MaxUses = count, Description = description },
            controller.AdminMetadata);
        var enrollment = new EnrollmentService.EnrollmentServiceClient(channel);
        var certificates = new X509Certificate2[count];
        var run = $"{Environment.ProcessId}";
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            // The key stays alive with its certificate for the whole run.
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var name = $"bench-{run}-{i}";
            var csr = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256).CreateSigningRequest();
            var request = new EnrollRequest { JoinToken = token.Secret, Name = name, CsrDer = Google.Protobuf.ByteString.CopyFrom(csr) };
            if (labels is not null)
            {
                request.Labels.Add(labels);
            }

            var reply = await enrollment.EnrollAsync(request, cancellationToken: ct);
            using var issued = X509Certificate2.CreateFromPem(reply.CertificatePem);
            certificates[i] = issued.CopyWithPrivateKey(key);
        });
        return certificates;
    }
}
