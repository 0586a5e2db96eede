"""A plain TCP forwarder for outage tests: listens on 127.0.0.1:LISTEN and pipes every connection to 127.0.0.1:TARGET.
Killing it is a network outage for the client (connection refused, open connections reset) while the server behind it
(moto_server, which keeps its objects only in memory) keeps its state; starting it again ends the outage.

usage: tcp_proxy.py LISTEN TARGET
"""
import asyncio, sys


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def handle(client_reader, client_writer, target):
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))


async def main(listen, target):
    server = await asyncio.start_server(lambda r, w: handle(r, w, target), "127.0.0.1", listen, reuse_address=True)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
