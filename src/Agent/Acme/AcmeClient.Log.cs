namespace Fleet.Agent.Acme;

// Event ids 5000–5099 = Acme client and renewal.
internal sealed partial class AcmeClient
{
    private static partial class Log
    {
        [LoggerMessage(5000, LogLevel.Debug, "ACME {Operation}: badNonce, retrying (attempt {Attempt})")]
        public static partial void BadNonceRetry(ILogger logger, string operation, int attempt);

        [LoggerMessage(5001, LogLevel.Debug, "ACME {Operation} not finished; polling again in {Wait}")]
        public static partial void PollingAgain(ILogger logger, string operation, TimeSpan wait);
    }
}
