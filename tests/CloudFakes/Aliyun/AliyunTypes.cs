namespace OpenList.DriverHost.CloudFakes;

/// <summary>A token pair as <c>/oauth/access_token</c> returns it.</summary>
public sealed record AliyunTokens(string AccessToken, string RefreshToken, int ExpiresIn);

/// <summary>
/// Server-side rate limits per user per app (documented: list 4/s, getDownloadUrl 1/s, everything else 15/s).
/// Each is a token bucket holding at most <see cref="MaxBurst"/> tokens (and at least 1), so a client pacing
/// itself just under the rate never trips it while a burst does. DESIGN: the real bucket size is not documented.
/// </summary>
public sealed record AliyunRateLimits
{
    public double ListPerSecond { get; init; } = 4;

    public double LinkPerSecond { get; init; } = 1;

    public double OtherPerSecond { get; init; } = 15;

    public double MaxBurst { get; init; } = 4;

    internal double Burst(double perSecond) => Math.Max(1, Math.Min(perSecond, MaxBurst));
}

/// <summary>How the fake online-API relay answers a failed renewal (the real relay produces all of these).</summary>
public enum RelayErrorShape
{
    /// <summary>500 <c>{"text":"&lt;upstream message&gt;"}</c>.</summary>
    TextString,

    /// <summary>500 <c>{"text":{}}</c> (a serialised JS Error object).</summary>
    TextObject,

    /// <summary>500 <c>{}</c> (the upstream error field was missing).</summary>
    Missing,

    /// <summary>500 <c>text/plain</c> "Internal Server Error" (an uncaught exception).</summary>
    PlainText,
}
