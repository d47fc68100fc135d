using Fleet.Contracts.V1;
using Fleet.Agent.Hosting;
using Fleet.Agent.Secrets;
using Fleet.Core.Transport;

namespace Fleet.Agent.Identity;

/// <summary>
/// Enrolls this machine: checks the input, makes a key that never leaves it, sends a CSR with
/// the join token to the pinned controller, checks what comes back and only then writes the
/// identity. Every failure throws <see cref="EnrollmentException"/> and leaves the state
/// directory as it was.
/// </summary>
internal sealed class Enroller(IEnrollmentClient client)
{
    public Enroller()
        : this(new GrpcEnrollmentClient(TimeProvider.System))
    {
    }

    public async Task<EnrollmentResult> EnrollAsync(EnrollmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pins = Validate(request);
        var store = new IdentityStore(request.StateDir);
        if (!request.Force && store.HasIdentity)
        {
            throw new EnrollmentException($"an agent identity already exists in {store.StateDir}; pass --force to replace it");
        }

        try
        {
            store.CheckWritable();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EnrollmentException($"cannot write the identity to {store.StateDir}: {ex.Message}", ex);
        }

        using var key = new KeyAndRequest(request.Name);
        using var encryptionKey = AgentEncryptionKey.Generate();
        var enroll = new EnrollRequest
        {
            JoinToken = request.JoinToken,
            Name = request.Name,
            CsrDer = Google.Protobuf.ByteString.CopyFrom(key.CsrDer),
            AgentVersion = AgentVersion.Current,
            EncryptionPublicKey = Google.Protobuf.ByteString.CopyFrom(encryptionKey.PublicKey),
        };
        foreach (var (labelKey, labelValue) in request.Labels)
        {
            enroll.Labels[labelKey] = labelValue;
        }

        var response = await client.EnrollAsync(request.Controller, pins, enroll, cancellationToken);

        try
        {
            using var certificate = key.AcceptIssued(response.CertificatePem, response.CaBundlePem, pins);
            var config = new AgentConfig(request.Controller, pins, response.AgentId, request.Name, request.Labels);
            store.Create(config, new IdentityFiles(key.KeyPem, response.CertificatePem, response.CaBundlePem), request.Force);
            encryptionKey.Save(store.StateDir);
            return new EnrollmentResult(response.AgentId, request.Name, store.StateDir, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new EnrollmentException(ex.Message, ex);
        }
    }

    private static string[] Validate(EnrollmentRequest request)
    {
        if (!AgentNames.TryValidateName(request.Name, out var nameError))
        {
            throw new EnrollmentException(nameError);
        }

        if (request.Labels.Count > AgentNames.MaxLabels)
        {
            throw new EnrollmentException($"an agent can carry at most {AgentNames.MaxLabels} labels");
        }

        foreach (var (key, value) in request.Labels)
        {
            if (!AgentNames.TryParseLabel($"{key}={value}", out _, out _, out var labelError))
            {
                throw new EnrollmentException(labelError);
            }
        }

        if (!request.Controller.IsAbsoluteUri || request.Controller.Scheme != Uri.UriSchemeHttps)
        {
            throw new EnrollmentException($"the controller address must be an https:// URL, got '{request.Controller}'");
        }

        if (!ApiToken.TryParse(request.JoinToken, ApiToken.JoinKind, out _, out _))
        {
            throw new EnrollmentException("the join token is malformed: it must look like fleet_join_<id>_<secret> (from 'fleetctl tokens create --role agent-join')");
        }

        var pins = new List<string>();
        foreach (var text in request.CaPins)
        {
            if (!CaPin.TryParse(text, out var pin, out var pinError))
            {
                throw new EnrollmentException(pinError);
            }

            if (!pins.Contains(pin))
            {
                pins.Add(pin);
            }
        }

        return pins.Count switch
        {
            0 => throw new EnrollmentException("at least one --ca-pin is needed: the controller prints it as 'ca-pin=sha256:…'"),
            > 2 => throw new EnrollmentException("at most two --ca-pin values are accepted (the current CA and the next one)"),
            _ => [.. pins],
        };
    }
}
