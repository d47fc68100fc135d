namespace Fleet.Agent.Acme;

internal sealed partial class CertificateRenewal
{
    private static partial class Log
    {
        [LoggerMessage(5030, LogLevel.Information, "Renewing certificate {Name} for {Domains}")]
        public static partial void Renewing(ILogger logger, string name, string domains);

        [LoggerMessage(5031, LogLevel.Information, "Installed certificate {Name}, valid until {NotAfter:u}, at {Path}")]
        public static partial void Installed(ILogger logger, string name, DateTime notAfter, string path);

        [LoggerMessage(5032, LogLevel.Warning, "Certificate {Name}: renewal failed ({Failures} in a row); next attempt in {Wait}; the installed certificate stays")]
        public static partial void RenewalFailed(ILogger logger, string name, int failures, TimeSpan wait, Exception exception);

        [LoggerMessage(5033, LogLevel.Warning, "Certificate {Name} installed but not reloaded: {Error}")]
        public static partial void ReloadFailed(ILogger logger, string name, string error);

        [LoggerMessage(5034, LogLevel.Debug, "Certificate {Name}: no renewal information from the CA; using the one-third rule")]
        public static partial void RenewalInfoUnavailable(ILogger logger, string name, Exception exception);
    }
}
