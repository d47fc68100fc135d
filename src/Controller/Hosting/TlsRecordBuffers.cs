using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Fleet.Controller.Hosting;

/// <summary>
/// Lets OpenSSL free a TLS connection's record buffers while the connection is idle
/// (<c>SSL_MODE_RELEASE_BUFFERS</c>, as nginx sets on every connection). .NET does not set it,
/// so each idle agent connection would keep its read and write buffers for as long as it stays
/// open. The OpenSSL handle is private to <see cref="SslStream"/>: when this runtime does not
/// have it where expected (another .NET version or TLS library) nothing is changed.
/// </summary>
internal static partial class TlsRecordBuffers
{
    private const int SslCtrlMode = 33;
    private const nint SslModeReleaseBuffers = 0x10;
    private const string SslHandleType = "Microsoft.Win32.SafeHandles.SafeSslHandle";

    private static readonly FieldInfo? SecurityContext = FindSecurityContext();

    /// <summary>
    /// Kestrel connection middleware, placed after <c>UseHttps</c>: the handshake is done and no
    /// application data has been read yet, so nothing else uses the OpenSSL handle meanwhile.
    /// </summary>
    public static Task ReleaseWhenIdle(ConnectionContext connection, ConnectionDelegate next)
    {
        if (connection.Features.Get<ISslStreamFeature>()?.SslStream is { } ssl)
        {
            ReleaseWhenIdle(ssl);
        }

        return next(connection);
    }

    /// <summary>Sets the mode on an authenticated stream; false when this runtime does not allow it.</summary>
    internal static bool ReleaseWhenIdle(SslStream ssl)
    {
        if (SecurityContext?.GetValue(ssl) is not SafeHandle { IsInvalid: false, IsClosed: false } handle
            || handle.GetType().FullName != SslHandleType)
        {
            return false;
        }

        return (SslCtrl(handle, SslCtrlMode, SslModeReleaseBuffers, 0) & SslModeReleaseBuffers) != 0;
    }

    private static FieldInfo? FindSecurityContext()
    {
        // The P/Invoke below names libssl.so.3: only valid when the runtime itself uses OpenSSL 3.
        if (!OperatingSystem.IsLinux() || SafeEvpPKeyHandle.OpenSslVersion < 0x3000_0000 || SafeEvpPKeyHandle.OpenSslVersion >= 0x4000_0000)
        {
            return null;
        }

        var field = typeof(SslStream).GetField("_securityContext", BindingFlags.NonPublic | BindingFlags.Instance);
        return field is not null && typeof(SafeHandle).IsAssignableFrom(field.FieldType) ? field : null;
    }

    [LibraryImport("libssl.so.3", EntryPoint = "SSL_ctrl")]
    private static partial nint SslCtrl(SafeHandle ssl, int command, nint larg, nint parg);
}
