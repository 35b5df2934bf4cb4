import type { ProcedureView } from '@xephang/protocol';

const p = (code: string, serviceId: string, name: string, papers: string[] = [], keywords?: string[]): ProcedureView => ({
  code,
  name,
  serviceId,
  papers,
  ...(keywords ? { keywords } : {}),
});

const CCCD = 'Thẻ căn cước (hoặc căn cước công dân) của người đi làm thủ tục';
const CU_TRU = 'Tờ khai thay đổi thông tin cư trú (mẫu CT01)';

/**
 * The common commune-level procedures, each under the default field whose counters handle it.
 * Codes are xephang's own (HT hộ tịch, CT chứng thực, NN nông nghiệp – môi trường, DD đăng ký
 * đất đai, KD kinh doanh, XH văn hoá – xã hội, CA công an, BH bưu điện – BHXH), not the national
 * ones: a center imports its full list, with the national codes, from the admin page.
 * Papers are listed only where they are certain; the clerk gives the full list.
 */
export const STARTER_CATALOG: readonly ProcedureView[] = [
  // Tư pháp – Hộ tịch
  p('HT-01', 'civil', 'Đăng ký khai sinh', ['Tờ khai đăng ký khai sinh', 'Giấy chứng sinh (bản chính)', CCCD], ['làm giấy khai sinh']),
  p('HT-02', 'civil', 'Đăng ký kết hôn', ['Tờ khai đăng ký kết hôn', 'Thẻ căn cước của cả hai bên nam, nữ (cả hai cùng có mặt)'], ['giấy đăng ký kết hôn']),
  p('HT-03', 'civil', 'Đăng ký khai tử', ['Tờ khai đăng ký khai tử', 'Giấy báo tử hoặc giấy tờ thay giấy báo tử', CCCD], ['giấy chứng tử']),
  p('HT-04', 'civil', 'Đăng ký nhận cha, mẹ, con', ['Tờ khai đăng ký nhận cha, mẹ, con', 'Chứng cứ chứng minh quan hệ cha, mẹ, con']),
  p('HT-05', 'civil', 'Đăng ký khai sinh kết hợp nhận cha, mẹ, con'),
  p('HT-06', 'civil', 'Đăng ký lại khai sinh'),
  p('HT-07', 'civil', 'Đăng ký lại kết hôn'),
  p('HT-08', 'civil', 'Đăng ký lại khai tử'),
  p('HT-09', 'civil', 'Đăng ký giám hộ'),
  p('HT-10', 'civil', 'Đăng ký chấm dứt giám hộ'),
  p('HT-11', 'civil', 'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch', [], ['sửa tên', 'đổi tên', 'sửa ngày sinh']),
  p('HT-12', 'civil', 'Cấp Giấy xác nhận tình trạng hôn nhân', ['Tờ khai cấp Giấy xác nhận tình trạng hôn nhân', CCCD], ['độc thân']),
  p('HT-13', 'civil', 'Cấp bản sao trích lục hộ tịch', [], ['bản sao giấy khai sinh', 'trích lục']),
  p('HT-14', 'civil', 'Đăng ký khai sinh có yếu tố nước ngoài'),
  p('HT-15', 'civil', 'Đăng ký kết hôn có yếu tố nước ngoài'),
  p('HT-16', 'civil', 'Đăng ký khai tử có yếu tố nước ngoài'),
  p('HT-17', 'civil', 'Đăng ký việc nuôi con nuôi trong nước', [], ['con nuôi']),
  p('HT-18', 'civil', 'Đăng ký giám sát việc giám hộ'),
  p('HT-19', 'civil', 'Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài'),
  p('HT-20', 'civil', 'Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi'),
  p('HT-21', 'civil', 'Liên thông thủ tục hành chính về đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất, hỗ trợ chi phí mai táng'),
  p('CT-01', 'civil', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận', ['Bản chính giấy tờ, văn bản cần chứng thực', 'Bản sao cần chứng thực (nếu tự chuẩn bị)'], ['công chứng', 'sao y']),
  p('CT-02', 'civil', 'Chứng thực chữ ký trong các giấy tờ, văn bản', [CCCD, 'Giấy tờ, văn bản cần chứng thực chữ ký'], ['ký xác nhận']),
  p('CT-03', 'civil', 'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở', [], ['mua bán', 'chuyển nhượng', 'tặng cho']),
  p('CT-04', 'civil', 'Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch'),
  p('CT-05', 'civil', 'Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản, quyền sử dụng đất, nhà ở', [], ['thừa kế']),
  p('CT-06', 'civil', 'Chứng thực văn bản khai nhận di sản mà di sản là động sản, quyền sử dụng đất, nhà ở', [], ['thừa kế']),
  p('CT-07', 'civil', 'Chứng thực di chúc'),
  p('CT-08', 'civil', 'Chứng thực văn bản từ chối nhận di sản'),
  p('CT-09', 'civil', 'Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật', [], ['dịch thuật']),

  // Nông nghiệp – Môi trường – Đất đai
  p('NN-01', 'land', 'Hòa giải tranh chấp đất đai', ['Đơn đề nghị hòa giải tranh chấp đất đai'], ['tranh chấp ranh giới']),
  p('NN-02', 'land', 'Chuyển mục đích sử dụng đất', [], ['lên thổ cư', 'chuyển đất vườn']),
  p('NN-03', 'land', 'Giao đất, cho thuê đất cho cá nhân', [], ['thuê đất']),
  p('NN-04', 'land', 'Đăng ký môi trường'),
  p('NN-05', 'land', 'Kê khai hoạt động chăn nuôi', [], ['chăn nuôi']),
  p('NN-06', 'land', 'Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai', [], ['bão lụt']),
  p('NN-07', 'land', 'Cấp giấy phép xây dựng nhà ở riêng lẻ', [], ['xin phép xây nhà', 'giấy phép xây dựng']),

  // Chi nhánh Văn phòng đăng ký đất đai
  p('DD-01', 'landreg', 'Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu', [], ['sổ đỏ', 'sổ hồng', 'làm sổ']),
  p('DD-02', 'landreg', 'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất', [], ['sang tên sổ đỏ', 'chuyển nhượng', 'tặng cho', 'thừa kế']),
  p('DD-03', 'landreg', 'Tách thửa hoặc hợp thửa đất', [], ['chia đất', 'tách sổ']),
  p('DD-04', 'landreg', 'Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất', [], ['đổi sổ đỏ']),
  p('DD-05', 'landreg', 'Cấp lại Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do bị mất', [], ['mất sổ đỏ']),
  p('DD-06', 'landreg', 'Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất', [], ['vay ngân hàng', 'thế chấp sổ đỏ']),
  p('DD-07', 'landreg', 'Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất', [], ['giải chấp']),
  p('DD-08', 'landreg', 'Đính chính Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất đã cấp'),
  p('DD-09', 'landreg', 'Cung cấp thông tin, dữ liệu đất đai', [], ['trích lục bản đồ', 'tra cứu đất']),

  // Đăng ký kinh doanh – Tài chính
  p('KD-01', 'business', 'Đăng ký thành lập hộ kinh doanh', ['Giấy đề nghị đăng ký hộ kinh doanh', 'Thẻ căn cước của chủ hộ kinh doanh'], ['mở cửa hàng', 'giấy phép kinh doanh']),
  p('KD-02', 'business', 'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh'),
  p('KD-03', 'business', 'Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh'),
  p('KD-04', 'business', 'Chấm dứt hoạt động hộ kinh doanh', [], ['đóng cửa hàng']),
  p('KD-05', 'business', 'Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh'),
  p('KD-06', 'business', 'Đăng ký thành lập hợp tác xã'),
  p('KD-07', 'business', 'Thông báo thành lập tổ hợp tác'),
  p('KD-08', 'business', 'Cấp Giấy phép bán lẻ sản phẩm rượu', [], ['bán rượu']),
  p('KD-09', 'business', 'Cấp Giấy phép bán lẻ sản phẩm thuốc lá', [], ['bán thuốc lá']),
  p('KD-10', 'business', 'Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh', [], ['nấu rượu']),

  // Văn hoá – Xã hội
  p('XH-01', 'culture', 'Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng', [], ['trợ cấp người già', 'bảo trợ xã hội']),
  p('XH-02', 'culture', 'Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội', [], ['mai táng phí']),
  p('XH-03', 'culture', 'Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật', [], ['người khuyết tật']),
  p('XH-04', 'culture', 'Đổi, cấp lại Giấy xác nhận khuyết tật'),
  p('XH-05', 'culture', 'Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm', [], ['sổ hộ nghèo']),
  p('XH-06', 'culture', 'Công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm'),
  p('XH-07', 'culture', 'Công nhận hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp có mức sống trung bình'),
  p('XH-08', 'culture', 'Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở'),
  p('XH-09', 'culture', 'Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ và hỗ trợ thăm viếng mộ liệt sĩ', [], ['người có công']),
  p('XH-10', 'culture', 'Đăng ký hoạt động tín ngưỡng'),
  p('XH-11', 'culture', 'Đăng ký sinh hoạt tôn giáo tập trung'),
  p('XH-12', 'culture', 'Thông báo tổ chức lễ hội'),
  p('XH-13', 'culture', 'Xét tặng danh hiệu Gia đình văn hóa'),
  p('XH-14', 'culture', 'Công nhận câu lạc bộ thể thao cơ sở'),

  // Công an
  p('CA-01', 'police', 'Đăng ký thường trú', [CU_TRU, 'Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp'], ['nhập hộ khẩu', 'hộ khẩu']),
  p('CA-02', 'police', 'Đăng ký tạm trú', [CU_TRU, 'Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp']),
  p('CA-03', 'police', 'Gia hạn tạm trú', [CU_TRU]),
  p('CA-04', 'police', 'Xóa đăng ký thường trú', [], ['cắt hộ khẩu']),
  p('CA-05', 'police', 'Xóa đăng ký tạm trú'),
  p('CA-06', 'police', 'Tách hộ', [CU_TRU], ['tách hộ khẩu']),
  p('CA-07', 'police', 'Điều chỉnh thông tin về cư trú trong Cơ sở dữ liệu về cư trú', [CU_TRU]),
  p('CA-08', 'police', 'Khai báo tạm vắng'),
  p('CA-09', 'police', 'Thông báo lưu trú'),
  p('CA-10', 'police', 'Xác nhận thông tin về cư trú', [], ['giấy xác nhận cư trú']),
  p('CA-11', 'police', 'Cấp, cấp đổi, cấp lại thẻ căn cước', [], ['làm căn cước', 'CCCD', 'chứng minh nhân dân']),
  p('CA-12', 'police', 'Đăng ký xe mô tô, xe gắn máy lần đầu', [], ['biển số xe máy', 'đăng ký xe máy']),
  p('CA-13', 'police', 'Thu hồi chứng nhận đăng ký xe, biển số xe', [], ['bán xe']),

  // Bưu điện – Bảo hiểm xã hội
  p('BH-01', 'post', 'Cấp thẻ bảo hiểm y tế (BHYT)', [CCCD], ['BHYT', 'thẻ bảo hiểm']),
  p('BH-02', 'post', 'Cấp lại, đổi thẻ bảo hiểm y tế', [CCCD], ['BHYT', 'mất thẻ bảo hiểm']),
  p('BH-03', 'post', 'Đăng ký tham gia bảo hiểm xã hội tự nguyện', [CCCD], ['BHXH']),
  p('BH-04', 'post', 'Cấp lại, điều chỉnh thông tin sổ bảo hiểm xã hội', [], ['BHXH', 'sổ BHXH']),
  p('BH-05', 'post', 'Nhận lương hưu, trợ cấp bảo hiểm xã hội hằng tháng', [CCCD], ['lương hưu']),
  p('BH-06', 'post', 'Gửi hồ sơ, nhận kết quả thủ tục hành chính qua dịch vụ bưu chính công ích', [], ['chuyển phát', 'gửi hồ sơ qua bưu điện']),
];
