using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OpenList.DriverHost.Relay;

/// <summary>
/// renewapi's three fields: from the query string of a GET (OpenList's format) or from the form body of a POST
/// (the query string of a POST is not read, so a token there is never used). A bad body is a <see cref="Problem"/>.
/// </summary>
internal sealed record RelayRenewFields(string RefreshToken, string ServerUse, string DriverTxt, (int Status, string Text)? Problem = null)
{
    public static async Task<RelayRenewFields> ReadAsync(HttpContext context, long maxBytes)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method))
        {
            var query = request.Query;
            return new RelayRenewFields(query["refresh_ui"].ToString(), query["server_use"].ToString(), query["driver_txt"].ToString());
        }

        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Failed(StatusCodes.Status415UnsupportedMediaType, "POST renewapi with an application/x-www-form-urlencoded body: refresh_ui, server_use=true, driver_txt");
        }

        if (request.ContentLength > maxBytes)
        {
            return Failed(StatusCodes.Status413PayloadTooLarge, "the form is too large");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            var form = await request.ReadFormAsync(new FormOptions { ValueLengthLimit = (int)maxBytes, KeyLengthLimit = 64, ValueCountLimit = 16 }, context.RequestAborted).ConfigureAwait(false);
            return new RelayRenewFields(form["refresh_ui"].ToString(), form["server_use"].ToString(), form["driver_txt"].ToString());
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return Failed(StatusCodes.Status400BadRequest, "the form could not be read");
        }
    }

    private static RelayRenewFields Failed(int status, string text) => new("", "", "", (status, text));

    /// <summary>The refresh token is the credential: never printed.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"RefreshToken = ***, ServerUse = {ServerUse}, DriverTxt = {DriverTxt}, Problem = {Problem}");
        return true;
    }
}
