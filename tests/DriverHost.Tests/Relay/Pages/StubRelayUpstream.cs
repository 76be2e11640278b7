using System.Collections.Concurrent;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.DriverHost.Tests.Relay.Pages;

/// <summary>An <see cref="IRelayUpstream"/> that records what the pages ask of it and answers as a test tells it.</summary>
public sealed class StubRelayUpstream : IRelayUpstream
{
    public const string DeviceCodeValue = "device-code-kept-on-the-server";

    public StubRelayUpstream(string prefix = "stubcloud", string displayName = "Stub Cloud", string driverName = "AliyundriveOpen", bool pkce = true, bool device = false)
    {
        Prefix = prefix;
        DisplayName = displayName;
        DriverName = driverName;
        SupportsPkce = pkce;
        SupportsDeviceFlow = device;
    }

    public string Prefix { get; }

    public string DisplayName { get; }

    public string DriverName { get; }

    public IReadOnlyList<string> DriverTxts => [Prefix + "_go"];

    public bool SupportsPkce { get; }

    public bool SupportsDeviceFlow { get; }

    /// <summary>Every code exchange asked for: code, redirect URI and verifier.</summary>
    public ConcurrentQueue<(string Code, Uri RedirectUri, string? Verifier)> Exchanges { get; } = new();

    /// <summary>The tokens a code turns into (default: <c>access-&lt;code&gt;</c>, <c>refresh-&lt;code&gt;</c>).</summary>
    public Func<string, RelayTokens> Tokens { get; set; } = code => new RelayTokens("access-" + code, "refresh-" + code, 7200);

    /// <summary>When set, exchanges throw it.</summary>
    public RelayUpstreamException? ExchangeFailure { get; set; }

    /// <summary>Device polls answered so far, and what the next ones answer (Pending when empty).</summary>
    public ConcurrentQueue<RelayDevicePoll> NextPolls { get; } = new();

    /// <summary>When set, the next device poll throws it (once).</summary>
    public RelayUpstreamException? PollFailure { get; set; }

    private int _polls;

    public int Polls => Volatile.Read(ref _polls);

    public Uri BuildAuthorizeUri(Uri redirectUri, string state, string? codeChallenge) =>
        new("https://provider.invalid/authorize?client_id=stub&redirect_uri=" + Uri.EscapeDataString(redirectUri.AbsoluteUri)
            + "&state=" + Uri.EscapeDataString(state) + (codeChallenge is null ? "" : "&code_challenge=" + codeChallenge + "&code_challenge_method=S256"));

    public Task<RelayTokens> ExchangeCodeAsync(string code, Uri redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        Exchanges.Enqueue((code, redirectUri, codeVerifier));
        return ExchangeFailure is { } failure ? Task.FromException<RelayTokens>(failure) : Task.FromResult(Tokens(code));
    }

    public Task<RelayTokens> RefreshAsync(string refreshToken, string driverTxt, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<RelayDeviceCode> StartDeviceFlowAsync(CancellationToken cancellationToken) =>
        SupportsDeviceFlow
            ? Task.FromResult(new RelayDeviceCode(DeviceCodeValue, "WDJB-MJHT", new Uri("https://provider.invalid/device"), new Uri("https://provider.invalid/device?user_code=WDJB-MJHT"), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5)))
            : throw new NotSupportedException();

    public Task<RelayDevicePoll> PollDeviceFlowAsync(string deviceCode, CancellationToken cancellationToken)
    {
        Assert.Equal(DeviceCodeValue, deviceCode);
        Interlocked.Increment(ref _polls);
        if (PollFailure is { } failure)
        {
            PollFailure = null;
            return Task.FromException<RelayDevicePoll>(failure);
        }

        return Task.FromResult(NextPolls.TryDequeue(out var next) ? next : new RelayDevicePoll(RelayDevicePollState.Pending));
    }
}
