using Fleet.Agent.Health;

namespace Fleet.Agent.Tests.Health;

public sealed class ProcParsersTests
{
    private const string Stat = """
        cpu  4705 356 584 3699176 23060 0 277 0 0 0
        cpu0 1393280 32966 572056 13343292 6130 0 17875 0 23933 0
        intr 114930548 113199788 3 0 5 263 0 4 [... lots more numbers ...]
        ctxt 1990473
        btime 1062191376
        """;

    private const string MemInfo = """
        MemTotal:       16315860 kB
        MemFree:         1053456 kB
        MemAvailable:   11264596 kB
        Buffers:          409012 kB
        HugePages_Total:       0
        """;

    [Fact]
    public void ParseStat_AggregateLine_SumsFirstEightFieldsAndCountsIowaitAsIdle()
    {
        var times = ProcParsers.ParseStat(Stat);

        Assert.Equal(4705UL + 356 + 584 + 3699176 + 23060 + 0 + 277 + 0, times.Total);
        Assert.Equal(3699176UL + 23060, times.Idle);
    }

    [Fact]
    public void ParseStat_NoAggregateLine_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => ProcParsers.ParseStat("cpu0 1 2 3 4\nctxt 5\n"));
    }

    [Fact]
    public void BusyPercent_TwoSamples_IsBusyShareOfElapsedTicks()
    {
        var earlier = new CpuTimes(Total: 1000, Idle: 800);
        var later = new CpuTimes(Total: 1200, Idle: 850);

        Assert.Equal(75.0, CpuTimes.BusyPercent(earlier, later), precision: 6);
    }

    [Fact]
    public void BusyPercent_NoTimeElapsed_IsZero()
    {
        var sample = new CpuTimes(Total: 1000, Idle: 800);

        Assert.Equal(0, CpuTimes.BusyPercent(sample, sample));
    }

    [Fact]
    public void ParseMemInfo_KernelFormat_ReturnsTotalAndAvailableInBytes()
    {
        var memory = ProcParsers.ParseMemInfo(MemInfo);

        Assert.Equal(16315860UL * 1024, memory.TotalBytes);
        Assert.Equal(11264596UL * 1024, memory.AvailableBytes);
    }

    [Fact]
    public void ParseMemInfo_NoMemAvailable_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => ProcParsers.ParseMemInfo("MemTotal:       16315860 kB\nMemFree: 1 kB\n"));
    }

    [Fact]
    public void ParseUptime_KernelFormat_ReturnsSecondsSinceBoot()
    {
        Assert.Equal(TimeSpan.FromSeconds(350735.47), ProcParsers.ParseUptime("350735.47 234388.90\n"));
    }

    [Fact]
    public void ParseUptime_Garbage_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => ProcParsers.ParseUptime("up 3 days"));
    }
}
