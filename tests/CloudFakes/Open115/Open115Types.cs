namespace OpenList.DriverHost.CloudFakes;

/// <summary>A token pair as passport <c>/open/refreshToken</c> returns it (<c>expires_in</c> in seconds).</summary>
public sealed record Open115Tokens(string AccessToken, string RefreshToken, long ExpiresIn);

/// <summary>
/// Server-side limits applied when <see cref="FakeCloudOptions.EnforceRateLimits"/> is on. The only one the 115
/// docs name is the refresh frequency ("请勿频繁刷新，否则列入频控", code 40140117); its numbers are a DESIGN
/// PROPOSAL: a token bucket per authorization holding <see cref="RefreshBurst"/> refreshes, refilled at
/// <see cref="RefreshesPerMinute"/>.
/// </summary>
public sealed record Open115RateLimits
{
    public double RefreshBurst { get; init; } = 10;

    public double RefreshesPerMinute { get; init; } = 1;
}
