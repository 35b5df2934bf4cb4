import type { ProcedureView } from '@xephang/protocol';
import { buildIndex, type SearchIndex } from './search';
import { STARTER_CATALOG } from './starter';

/**
 * English names of the starter catalog's procedures, for a foreigner at the kiosk. They translate
 * the official Vietnamese names word for word where English allows and add nothing: the
 * Vietnamese name stays the one that counts, and the kiosk shows it beside the English. The
 * second entry holds everyday English words a foreigner may type ("birth certificate").
 */
const NAMES_EN: Readonly<Record<string, readonly [string, string?]>> = {
  'HT-01': ['Birth registration', 'birth certificate baby child'],
  'HT-02': ['Marriage registration', 'marry wedding marriage certificate'],
  'HT-03': ['Death registration', 'death certificate died'],
  'HT-04': ['Registration of acknowledgement of father, mother or child', 'paternity maternity'],
  'HT-05': ['Birth registration combined with acknowledgement of father, mother or child', 'paternity birth certificate'],
  'HT-06': ['Re-registration of a birth', 'birth certificate'],
  'HT-07': ['Re-registration of a marriage', 'marriage certificate'],
  'HT-08': ['Re-registration of a death', 'death certificate'],
  'HT-09': ['Guardianship registration', 'guardian'],
  'HT-10': ['Registration of the end of a guardianship', 'guardian'],
  'HT-11': ['Registration of a change, correction or addition of civil status information', 'change name correct date of birth'],
  'HT-12': ['Certificate of marital status', 'single status certificate of no impediment unmarried'],
  'HT-13': ['Copy of a civil status extract', 'copy birth certificate extract'],
  'HT-14': ['Birth registration involving a foreign element', 'foreigner foreign birth certificate'],
  'HT-15': ['Marriage registration involving a foreign element', 'foreigner foreign marry wedding'],
  'HT-16': ['Death registration involving a foreign element', 'foreigner foreign death certificate'],
  'HT-17': ['Registration of a domestic adoption', 'adopt adoption'],
  'HT-18': ['Registration of the supervision of a guardianship', 'guardian'],
  'HT-19': ['Recording in the civil status register of a Vietnamese citizen’s marriage settled by a competent foreign authority', 'marriage abroad'],
  'HT-20': ['Combined procedure: birth registration, permanent residence registration and health insurance card for a child under 6', 'birth baby health insurance'],
  'HT-21': ['Combined procedure: death registration, removal of permanent residence, survivor benefits and funeral cost support', 'death funeral'],
  'CT-01': ['Certification of copies made from originals issued or certified by competent Vietnamese authorities', 'certified copy notarize notary'],
  'CT-02': ['Certification of a signature on papers or documents', 'signature notarize notary'],
  'CT-03': ['Certification of contracts and transactions on movable property, land use rights and houses', 'contract sale transfer gift notary'],
  'CT-04': ['Certification of an amendment, addition or cancellation of a contract or transaction', 'contract notary'],
  'CT-05': ['Certification of an agreement dividing an estate of movable property, land use rights or houses', 'inheritance estate'],
  'CT-06': ['Certification of a declaration receiving an estate of movable property, land use rights or houses', 'inheritance estate'],
  'CT-07': ['Certification of a will', 'will testament'],
  'CT-08': ['Certification of a refusal to receive an estate', 'inheritance estate'],
  'CT-09': ['Certification of the signature of a translator who is a translation collaborator', 'translation translator'],
  'NN-01': ['Mediation of a land dispute', 'land dispute boundary'],
  'NN-02': ['Change of land use purpose', 'land use'],
  'NN-03': ['Land allocation or land lease to individuals', 'land lease rent'],
  'NN-04': ['Environmental registration', 'environment'],
  'NN-05': ['Declaration of livestock farming', 'livestock animals'],
  'NN-06': ['Support to restore production in areas damaged by natural disasters', 'disaster flood storm'],
  'NN-07': ['Construction permit for a separate house', 'building permit build house'],
  'DD-01': ['First registration and certificate of land use rights and ownership of assets attached to land', 'land title red book land certificate'],
  'DD-02': ['Registration of changes in land use rights and ownership of assets attached to land', 'land title transfer red book'],
  'DD-03': ['Splitting or merging land plots', 'land plot split'],
  'DD-04': ['Replacement of a certificate of land use rights and ownership of assets attached to land', 'land title red book'],
  'DD-05': ['Reissue of a lost certificate of land use rights and ownership of assets attached to land', 'lost land title red book'],
  'DD-06': ['Registration of a mortgage of land use rights and assets attached to land', 'mortgage bank loan'],
  'DD-07': ['Deregistration of a mortgage of land use rights and assets attached to land', 'mortgage release'],
  'DD-08': ['Correction of an issued certificate of land use rights and ownership of assets attached to land', 'land title correction'],
  'DD-09': ['Provision of land information and data', 'land map cadastral information'],
  'KD-01': ['Registration of a household business', 'business shop licence open'],
  'KD-02': ['Registration of changes to a household business registration', 'business'],
  'KD-03': ['Suspension of business, or resumption before the notified date, of a household business', 'business suspend'],
  'KD-04': ['Termination of a household business', 'business close shop'],
  'KD-05': ['Reissue of a household business registration certificate', 'business certificate'],
  'KD-06': ['Registration of a cooperative', 'cooperative'],
  'KD-07': ['Notification of a cooperative group', 'cooperative group'],
  'KD-08': ['Licence to retail alcohol products', 'alcohol liquor licence'],
  'KD-09': ['Licence to retail tobacco products', 'tobacco cigarettes licence'],
  'KD-10': ['Licence to produce handmade alcohol for business', 'alcohol brewing licence'],
  'XH-01': ['Granting, adjusting or ending monthly social allowances', 'social allowance elderly welfare'],
  'XH-02': ['Funeral cost support for social protection beneficiaries', 'funeral'],
  'XH-03': ['Assessment or reassessment of the degree of disability and disability certificate', 'disability disabled'],
  'XH-04': ['Replacement or reissue of a disability certificate', 'disability disabled'],
  'XH-05': ['Recognition of poor and near-poor households arising during the year', 'poor household poverty'],
  'XH-06': ['Recognition of households that escaped poverty or near-poverty during the year', 'poverty'],
  'XH-07': ['Recognition of agricultural, forestry or fishery households with an average living standard', 'farming household'],
  'XH-08': ['Emergency social assistance for building or repairing a house', 'emergency house repair'],
  'XH-09': ['Letter of introduction and support for visiting the graves of martyrs', 'martyr grave'],
  'XH-10': ['Registration of belief activities', 'belief religion'],
  'XH-11': ['Registration of collective religious activities', 'religion worship'],
  'XH-12': ['Notification of a festival', 'festival'],
  'XH-13': ['Awarding the “Cultural Family” title', 'cultural family'],
  'XH-14': ['Recognition of a grassroots sports club', 'sports club'],
  'CA-01': ['Permanent residence registration', 'residence address household register'],
  'CA-02': ['Temporary residence registration', 'temporary residence stay address'],
  'CA-03': ['Extension of temporary residence', 'temporary residence extend'],
  'CA-04': ['Removal of permanent residence registration', 'residence'],
  'CA-05': ['Removal of temporary residence registration', 'temporary residence'],
  'CA-06': ['Separation of a household', 'household split'],
  'CA-07': ['Adjustment of residence information in the residence database', 'residence information'],
  'CA-08': ['Declaration of temporary absence', 'absence away'],
  'CA-09': ['Notification of a temporary stay', 'stay guest hotel accommodation'],
  'CA-10': ['Confirmation of residence information', 'residence confirmation'],
  'CA-11': ['Issue, replacement or reissue of an identity card', 'ID card identity citizen card'],
  'CA-12': ['First registration of a motorcycle or moped', 'motorbike motorcycle scooter licence plate vehicle'],
  'CA-13': ['Withdrawal of a vehicle registration certificate and number plate', 'motorbike vehicle plate sell'],
  'BH-01': ['Issue of a health insurance card', 'health insurance card medical'],
  'BH-02': ['Reissue or replacement of a health insurance card', 'health insurance card lost'],
  'BH-03': ['Registration for voluntary social insurance', 'social insurance'],
  'BH-04': ['Reissue or correction of a social insurance book', 'social insurance book'],
  'BH-05': ['Receiving a monthly pension or social insurance allowance', 'pension retirement'],
  'BH-06': ['Sending applications and receiving results of administrative procedures by public postal service', 'post mail send'],
};

/** The papers of the starter catalog, in English. */
const PAPERS_EN: Readonly<Record<string, string>> = {
  'Thẻ căn cước (hoặc căn cước công dân) của người đi làm thủ tục': 'Identity card (or citizen identity card) of the person making the request',
  'Tờ khai thay đổi thông tin cư trú (mẫu CT01)': 'Residence information change form (form CT01)',
  'Tờ khai đăng ký khai sinh': 'Birth registration form',
  'Giấy chứng sinh (bản chính)': 'Birth certificate from the hospital (original)',
  'Tờ khai đăng ký kết hôn': 'Marriage registration form',
  'Thẻ căn cước của cả hai bên nam, nữ (cả hai cùng có mặt)': 'Identity cards of both partners (both must be present)',
  'Tờ khai đăng ký khai tử': 'Death registration form',
  'Giấy báo tử hoặc giấy tờ thay giấy báo tử': 'Death notice, or a paper in its place',
  'Tờ khai đăng ký nhận cha, mẹ, con': 'Form for acknowledging a father, mother or child',
  'Chứng cứ chứng minh quan hệ cha, mẹ, con': 'Evidence of the parent–child relationship',
  'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân': 'Marital status certificate request form',
  'Bản chính giấy tờ, văn bản cần chứng thực': 'The original paper or document to certify',
  'Bản sao cần chứng thực (nếu tự chuẩn bị)': 'The copies to certify (if you bring your own)',
  'Giấy tờ, văn bản cần chứng thực chữ ký': 'The paper or document whose signature is to be certified',
  'Đơn đề nghị hòa giải tranh chấp đất đai': 'Request for mediation of the land dispute',
  'Giấy đề nghị đăng ký hộ kinh doanh': 'Household business registration request',
  'Thẻ căn cước của chủ hộ kinh doanh': 'Identity card of the household business owner',
  'Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp': 'Papers proving a lawful place of residence',
};

const STARTER_BY_CODE = new Map(STARTER_CATALOG.map((p) => [p.code, p]));

/** A procedure in English: its name, the everyday words to search, its papers. */
export interface EnglishProcedure {
  name: string;
  keywords: string[];
  /** In English where known, otherwise as written in Vietnamese. */
  papers: string[];
}

/**
 * The English of a procedure when it is still the starter catalog's own (same code, same
 * Vietnamese name); undefined for a procedure a center imported or renamed, whose English
 * nobody wrote.
 */
export function englishOf(procedure: ProcedureView): EnglishProcedure | undefined {
  const starter = STARTER_BY_CODE.get(procedure.code);
  const names = NAMES_EN[procedure.code];
  if (!starter || !names || starter.name !== procedure.name) return undefined;
  return {
    name: names[0],
    keywords: names[1] ? [names[1]] : [],
    papers: procedure.papers.map((p) => PAPERS_EN[p] ?? p),
  };
}

/**
 * A search index over the English names and words, for the kiosk in English. Each hit is the
 * procedure in English (same code); procedures without English are left out.
 */
export function buildEnglishIndex(procedures: readonly ProcedureView[], fieldNamesEn: Readonly<Record<string, string>> = {}): SearchIndex {
  const english = procedures.flatMap((p) => {
    const en = englishOf(p);
    return en ? [{ ...p, name: en.name, keywords: en.keywords, papers: en.papers }] : [];
  });
  return buildIndex(english, fieldNamesEn);
}
