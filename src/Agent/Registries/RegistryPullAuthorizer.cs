using System.Net;
using System.Net.Http.Headers;
using Fleet.Core.Registries;
using Fleet.Core.Releases;

namespace Fleet.Agent.Registries;

/// <summary>
/// What a Docker pull needs from the registry side: the credential to hand Docker for the image's
/// registry (Docker itself then runs the Basic or token flow), and, when a pull failed, the
/// registry's own answer to the same question with the same credential, through
/// <see cref="RegistryAuthHandler"/>: Docker's words rarely tell wrong credentials from missing
/// ones or from a missing image, and never say where the agent's credentials are configured.
/// </summary>
internal sealed partial class RegistryPullAuthorizer(IRegistryCredentials credentials, TimeProvider time, ILogger<RegistryPullAuthorizer> logger)
    : IDisposable
{
    private readonly HttpClient _http = RegistryAuthHandler.CreateClient(credentials, time, TimeSpan.FromSeconds(30));

    /// <summary>The credential for the image's registry, or null to pull anonymously.</summary>
    public async Task<RegistryCredential?> CredentialForAsync(ImageReference image, CancellationToken cancellationToken)
    {
        var credential = await credentials.FindAsync(RegistryHost.Normalize(image.Registry), cancellationToken);
        if (credential is not null)
        {
            Log.PullingWithCredential(logger, image.Pinned, image.Registry, credential.Username);
        }

        return credential;
    }

    /// <summary>Why the pull of <paramref name="image"/> failed, naming registry and repository: the registry's refusal when it refuses, else Docker's error.</summary>
    public async Task<string> ExplainFailureAsync(ImageReference image, string dockerError, CancellationToken cancellationToken)
    {
        var url = new Uri(RegistryHost.BaseUri(image.Registry), $"/v2/{image.Repository}/manifests/{image.Digest}");
        using var request = new HttpRequestMessage(HttpMethod.Head, url);
        foreach (var type in ManifestMediaTypes.All)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            return response.StatusCode == HttpStatusCode.NotFound
                ? $"pull of {image.Pinned} failed: registry {image.Registry} has no manifest {image.Digest} in repository {image.Repository}"
                : $"pull of {image.Pinned} failed: {dockerError}";
        }
        catch (RegistryException ex) when (ex.Kind == RegistryErrorKind.Unauthorized)
        {
            return $"pull of {image.Pinned} failed: {ex.Message}";
        }
        catch (Exception ex) when (ex is RegistryException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.RegistryNotAsked(logger, image.Registry, image.Pinned, ex.Message);
            return $"pull of {image.Pinned} failed: {dockerError}";
        }
    }

    public void Dispose() => _http.Dispose();

    // Event ids 6400–6449 = Registries.
    private static partial class Log
    {
        [LoggerMessage(6400, LogLevel.Information, "Pulling {Image} from {Registry} as user {Username}")]
        public static partial void PullingWithCredential(ILogger logger, string image, string registry, string username);

        [LoggerMessage(6401, LogLevel.Warning, "Could not ask registry {Registry} why the pull of {Image} failed: {Reason}")]
        public static partial void RegistryNotAsked(ILogger logger, string registry, string image, string reason);
    }
}
