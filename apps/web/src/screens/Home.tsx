/** The hub's front page: links to every screen (a technician's starting point). */
export function Home({ missing }: { missing?: string }) {
  const counters = Array.from({ length: 9 }, (_, i) => i + 1);
  return (
    <main className="home">
      <h1>xephang — xếp hàng</h1>
      {missing && <p className="error">Không có màn hình {missing}. Chọn một màn hình dưới đây.</p>}
      <ul>
        <li><a href="/kiosk">Ki-ốt lấy số</a> (kiosk)</li>
        <li><a href="/display">Màn hình phòng chờ</a> (waiting-room TV)</li>
        {counters.map((id) => (
          <li key={id}>
            Quầy {id}: <a href={`/counter/${id}`}>máy tính cán bộ</a> · <a href={`/display/counter/${id}`}>màn hình trên quầy</a>
          </li>
        ))}
        <li><a href="/api/state">Trạng thái (JSON)</a></li>
      </ul>
    </main>
  );
}
