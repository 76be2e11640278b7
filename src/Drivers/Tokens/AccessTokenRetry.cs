namespace OpenList.DriverHost.Drivers.Tokens;

/// <summary>
/// The "rejected access token → renew once → call again" rule every OAuth cloud follows: the first rejection renews
/// the token (<see cref="TokenSource.RefreshAfterRejectionAsync"/> skips the refresh when another call already did
/// it); a second rejection of the renewed token is the driver's to word, since only it knows how to re-authorize.
/// </summary>
internal static class AccessTokenRetry
{
    /// <summary>Runs <paramref name="send"/> with the access token, and once more with a renewed one if it is rejected.</summary>
    /// <param name="send">One call (usually through the resilience pipeline) with the given token.</param>
    /// <param name="rejected">Told of the first rejection (for a log line) before the token is renewed.</param>
    /// <param name="rejectedAgain">The exception to throw when the renewed token is rejected too.</param>
    public static Task<T> ExecuteAsync<T>(
        TokenSource tokens,
        Func<string, Task<T>> send,
        Action<AccessTokenRejectedException> rejected,
        Func<AccessTokenRejectedException, Exception> rejectedAgain,
        CancellationToken cancellationToken) =>
        ExecuteAsync<T>(tokens, bearer: true, token => send(token!), rejected, rejectedAgain, cancellationToken);

    /// <summary>
    /// As above; with <paramref name="bearer"/> false the first call goes without a token (services that ask for one
    /// only by answering 401) and the retry takes the current token instead of renewing it.
    /// </summary>
    public static async Task<T> ExecuteAsync<T>(
        TokenSource tokens,
        bool bearer,
        Func<string?, Task<T>> send,
        Action<AccessTokenRejectedException> rejected,
        Func<AccessTokenRejectedException, Exception> rejectedAgain,
        CancellationToken cancellationToken)
    {
        var token = bearer ? await tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false) : null;
        try
        {
            return await send(token).ConfigureAwait(false);
        }
        catch (AccessTokenRejectedException first)
        {
            rejected(first);
            token = token is null
                ? await tokens.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false)
                : await tokens.RefreshAfterRejectionAsync(token, cancellationToken).ConfigureAwait(false);
            try
            {
                return await send(token).ConfigureAwait(false);
            }
            catch (AccessTokenRejectedException second)
            {
                throw rejectedAgain(second);
            }
        }
    }
}
