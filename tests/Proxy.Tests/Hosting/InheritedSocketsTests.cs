using Fleet.Proxy.Hosting;

namespace Fleet.Proxy.Tests.Hosting;

public sealed class InheritedSocketsTests
{
    [Fact]
    public void Read_SocketsForThisProcess_NamedFromFdThree()
    {
        var sockets = InheritedSockets.Read(Env(("LISTEN_PID", "42"), ("LISTEN_FDS", "3"), ("LISTEN_FDNAMES", "http:admin")), 42);

        Assert.Equal([new InheritedSocket(3, "http"), new InheritedSocket(4, "admin"), new InheritedSocket(5, "http")], sockets);
    }

    [Fact]
    public void Read_SocketsForAnotherProcess_None()
    {
        Assert.Empty(InheritedSockets.Read(Env(("LISTEN_PID", "41"), ("LISTEN_FDS", "2")), 42));
    }

    [Fact]
    public void Read_NoVariables_None()
    {
        Assert.Empty(InheritedSockets.Read(Env(), 42));
    }

    private static Func<string, string?> Env(params (string Key, string Value)[] variables) =>
        key => variables.FirstOrDefault(v => v.Key == key).Value;
}
